/**
 * "Ponder: Build Runtime for This Machine": which llama.cpp build to make, what the build's output means, what a user
 * must install first, and the record of a finished build. Pure: the builder process and the host share it.
 *
 * Why a rebuild at all (bench/RESULTS.md, figure 1r, Intel Xeon with AVX-512 + AMX, 2 cores): node-llama-cpp's
 * prebuilt binary decodes at 0.928× llama-bench built from the same bundled source. Two causes, measured apart:
 * ggml loads the prebuilt's AMX ("sapphirerapids") CPU variant, 3.9 % slower than its AVX2 ("haswell") variant at
 * 2 threads and 8.3 % at 1; and the prebuilt has no OpenMP, 3.4 % slower than ggml's OpenMP threading at 2 threads.
 * No runtime option of node-llama-cpp picks a variant or OpenMP, so a build with llama-bench's flags is the fix.
 */
import { isObject, isString, isFiniteNumber, fail, type Result } from '../protocol/validate';

export type CmakeOptions = Readonly<Record<string, string>>;

/** What the builder knows about the CPU: Node's arch and, where the OS tells, its feature flags (Linux /proc/cpuinfo). */
export interface CpuInfo {
  readonly arch: string;
  readonly platform: string;
  /** Lower-case feature flags, e.g. "avx2", "fma", "f16c", "amx_tile"; empty when unknown. */
  readonly flags: ReadonlySet<string>;
}

/**
 * The CMake options of the build, per CPU (bench/RESULTS.md figure 1r):
 * - x64 with AMX: llama-bench's measured flags (AVX2 + FMA + F16C, OpenMP, no AVX-512). There ggml picks the prebuilt's
 *   AMX variant, which decodes Q4_K slower than its AVX2 one, and a GGML_NATIVE build crashed on Q4_K models.
 * - everything else (x64 with or without AVX-512, arm64, Apple): llama.cpp's native build for the CPU it runs on, with
 *   OpenMP where the compiler has it. On an AVX-512 CPU without AMX (AMD Zen 4) the AVX2 build measured 0.75x the
 *   prebuilt's zen4 variant (the AVX-512 code paths matter there); the native build 1.03x (2 threads, 0.97x at 1).
 */
export function runtimeCmakeOptions(cpu: CpuInfo): CmakeOptions {
  const avx2 = cpu.arch === 'x64' && ['avx2', 'fma', 'f16c'].every((f) => cpu.flags.has(f));
  const amx = [...cpu.flags].some((f) => f.startsWith('amx'));
  if (avx2 && amx) return { GGML_NATIVE: 'OFF', GGML_AVX: 'ON', GGML_AVX2: 'ON', GGML_FMA: 'ON', GGML_F16C: 'ON', GGML_AVX512: 'OFF', GGML_OPENMP: 'ON' };
  return { GGML_NATIVE: 'ON', GGML_OPENMP: cpu.platform === 'darwin' ? 'OFF' : 'ON' };
}

/** A one-line description of what the build targets, for the confirmation and the log. */
export function describeBuild(options: CmakeOptions): string {
  if (options.GGML_AVX2 === 'ON') return `AVX2 + FMA + F16C${options.GGML_OPENMP === 'ON' ? ', OpenMP threads' : ''}`;
  return `native CPU build${options.GGML_OPENMP === 'ON' ? ', OpenMP threads' : ''}`;
}

/** Where a build is: unpacking the bundled llama.cpp source, configuring, compiling (with CMake's %), testing it. */
export type BuildPhase = 'source' | 'configure' | 'compile' | 'test';

export interface BuildProgress {
  readonly phase: BuildPhase;
  /** CMake's own percentage while compiling. */
  readonly percent?: number;
}

/** What a line of node-llama-cpp's / CMake's build output says about progress; undefined for all other lines. */
export function parseBuildLine(line: string): BuildProgress | undefined {
  const plain = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim(); // eslint-disable-line no-control-regex
  const pct = /^\[\s*(\d{1,3})%\]/.exec(plain); // make: "[ 45%] Building CXX object …"
  if (pct) return { phase: 'compile', percent: Math.min(100, Number(pct[1])) };
  const steps = /^\[(\d+)\/(\d+)\]/.exec(plain); // Ninja: "[12/277] Building CXX object …"
  if (steps && Number(steps[2]) > 0) return { phase: 'compile', percent: Math.min(100, Math.floor((Number(steps[1]) / Number(steps[2])) * 100)) };
  if (/^Clon(ing|ed) .*llama\.cpp|^Unpacking llama\.cpp/i.test(plain)) return { phase: 'source' };
  if (/^-- (The C(XX)? compiler|Configuring|Build files|Found OpenMP|Detecting)/.test(plain)) return { phase: 'configure' };
  if (/^Testing the built binary/i.test(plain)) return { phase: 'test' };
  return undefined;
}

/** A tool the build needs that is not on PATH. */
export type BuildTool = 'cmake' | 'git' | 'C++ compiler';

/** What to run to get the missing tools, for the platform the editor runs on. */
export function installHint(platform: string, missing: readonly BuildTool[]): string {
  const list = missing.join(', ');
  switch (platform) {
    case 'linux':
      return `Install ${list} and try again, e.g. on Debian/Ubuntu: sudo apt-get install cmake git build-essential (Fedora: sudo dnf install cmake git gcc-c++).`;
    case 'darwin':
      return `Install ${list} and try again: xcode-select --install (compiler and git), then brew install cmake.`;
    case 'win32':
      return `Install ${list} and try again: Visual Studio Build Tools with "Desktop development with C++" (compiler and CMake) and Git for Windows.`;
    default:
      return `Install ${list} and try again.`;
  }
}

/** The record of a finished build, kept in the extension's global storage (it survives extension updates). */
export interface RuntimeBuildRecord {
  /** The node-llama-cpp version it was built for: another version cannot load it. */
  readonly nodeLlamaCpp: string;
  /** node-llama-cpp's folder name for the build (under its llama/localBuilds, and under `savedDir`). */
  readonly folder: string;
  readonly cmakeOptions: CmakeOptions;
  /** ISO date. */
  readonly builtAt: string;
  readonly seconds: number;
}

export const isCmakeOptions = (v: unknown): v is CmakeOptions =>
  isObject(v) && Object.entries(v).every(([k, x]) => /^[A-Z][A-Z0-9_]*$/.test(k) && isString(x) && /^[\w.+-]*$/.test(x));

/** A build folder name: one path segment, nothing that could climb out of the folder it lives in. */
export const isBuildFolderName = (v: unknown): v is string => isString(v) && /^[\w.+-]{1,200}$/.test(v) && v !== '.' && v !== '..';

export function parseRuntimeBuildRecord(v: unknown): Result<RuntimeBuildRecord> {
  if (!isObject(v)) return fail('the build record must be an object');
  if (!isString(v.nodeLlamaCpp) || !isBuildFolderName(v.folder)) return fail('the build record needs nodeLlamaCpp and a folder name');
  if (!isCmakeOptions(v.cmakeOptions)) return fail('cmakeOptions must map CMake option names to plain values');
  if (!isString(v.builtAt) || !isFiniteNumber(v.seconds)) return fail('the build record needs builtAt and seconds');
  return { ok: true, value: { nodeLlamaCpp: v.nodeLlamaCpp, folder: v.folder, cmakeOptions: { ...v.cmakeOptions }, builtAt: v.builtAt, seconds: v.seconds } };
}

/** What the worker is told about a build: where the saved copy is and the options that name it. */
export interface RuntimeSpec {
  /** The folder holding the saved build folder (global storage). */
  readonly savedDir: string;
  readonly folder: string;
  readonly cmakeOptions: CmakeOptions;
}

export function parseRuntimeSpec(v: unknown): Result<RuntimeSpec> {
  if (!isObject(v)) return fail('engine.runtime must be an object');
  if (!isString(v.savedDir) || v.savedDir === '' || !isBuildFolderName(v.folder)) return fail('engine.runtime needs savedDir and a folder name');
  if (!isCmakeOptions(v.cmakeOptions)) return fail('engine.runtime.cmakeOptions must map CMake option names to plain values');
  return { ok: true, value: { savedDir: v.savedDir, folder: v.folder, cmakeOptions: { ...v.cmakeOptions } } };
}
