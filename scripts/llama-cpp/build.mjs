// Builds llama.cpp's llama-server, llama-quantize and llama-bench offline from the source node-llama-cpp bundles
// (node_modules/node-llama-cpp/llama/gitRelease.bundle) into .cache/llama.cpp/build. Idempotent: does nothing when
// all three binaries exist. Used by the remote-engine tests (llama-server) and the benchmarks (quantize, bench).
//
//   node scripts/llama-cpp/build.mjs            build if needed, print the binary folder
//   node scripts/llama-cpp/build.mjs --no-openmp   llama-bench alone, without OpenMP (ggml's own thread pool, as
//                                                  node-llama-cpp's prebuilt binaries run), into build-no-openmp: the
//                                                  runtime-gap bench (bench/sections/runtime.mjs) compares the two
//   node scripts/llama-cpp/build.mjs --native   llama-bench alone, GGML_NATIVE=ON (every instruction this CPU has,
//                                                  AVX-512 included), into build-native: the runtime-gap bench's
//                                                  fairest llama-bench where a native build runs (not on AMX CPUs:
//                                                  it crashed on Q4_K there)
//   node scripts/llama-cpp/build.mjs --speculative   also llama-speculative-simple (llama.cpp's own speculative
//                                                  decoding example) in the same build folder: the spec-llama bench
//                                                  (bench/sections/spec-llama.mjs) runs it as a reference
//   import { ensureLlamaCppBuild } from '...'   same, from a script or test setup
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LLAMA_CPP_DIR = join(root, '.cache', 'llama.cpp');
const srcDir = join(LLAMA_CPP_DIR, 'src');
const buildDir = join(LLAMA_CPP_DIR, 'build');
export const LLAMA_CPP_BIN = join(buildDir, 'bin');
const bundle = join(root, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');
export const TARGETS = ['llama-server', 'llama-quantize', 'llama-bench'];

// GGML_NATIVE=ON crashed (AMX) on Q4_K models on these machines: pin a portable AVX2 build instead.
const CMAKE_FLAGS = [
  '-DCMAKE_BUILD_TYPE=Release', '-DLLAMA_BUILD_UI=OFF', '-DLLAMA_USE_PREBUILT_UI=OFF', '-DLLAMA_OPENSSL=OFF',
  '-DLLAMA_CURL=OFF', '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DGGML_NATIVE=OFF',
  '-DGGML_AVX2=ON', '-DGGML_FMA=ON', '-DGGML_F16C=ON',
];

/** Path of a built binary, e.g. `binaryPath('llama-server')`. */
export function binaryPath(name) {
  return join(LLAMA_CPP_BIN, name);
}

/** Runs a step; with `logFile`, its output goes there (and its tail to the error) instead of the terminal. */
function run(cmd, args, cwd, logFile) {
  const fd = logFile ? openSync(logFile, 'a') : undefined;
  try {
    const r = spawnSync(cmd, args, { cwd, stdio: fd === undefined ? 'inherit' : ['ignore', fd, fd] });
    if (r.status !== 0) {
      const tail = logFile ? `\n${readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}` : '';
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}${tail}`);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Builds the binaries unless they all exist; returns the folder holding them. `jobs` defaults to 2 (shared box).
 * `quiet` sends compiler output to .cache/llama.cpp/build.log (test setup), printing only start, end and time.
 */
export function ensureLlamaCppBuild({ jobs = Number(process.env.LLAMA_CPP_JOBS) || 2, log = console.log, quiet = false, noOpenMp = false, native = false } = {}) {
  if (noOpenMp) return ensureBenchVariant({ jobs, log, dir: 'build-no-openmp', what: 'without OpenMP', flags: [...CMAKE_FLAGS, '-DGGML_OPENMP=OFF'] });
  if (native) return ensureBenchVariant({ jobs, log, dir: 'build-native', what: 'native (GGML_NATIVE=ON)', flags: [...CMAKE_FLAGS.filter((f) => !/GGML_(NATIVE|AVX2|FMA|F16C)=/.test(f)), '-DGGML_NATIVE=ON'] });
  if (TARGETS.every((t) => existsSync(binaryPath(t)))) return LLAMA_CPP_BIN;
  if (!existsSync(bundle)) throw new Error(`llama.cpp source bundle not found at ${bundle} (run npm ci first)`);
  mkdirSync(LLAMA_CPP_DIR, { recursive: true });
  if (!takeLock(log)) return LLAMA_CPP_BIN; // another process built it while we waited
  try {
    return TARGETS.every((t) => existsSync(binaryPath(t))) ? LLAMA_CPP_BIN : build(jobs, log, quiet);
  } finally {
    rmSync(lockFile, { force: true });
  }
}

const lockFile = join(LLAMA_CPP_DIR, 'build.lock');

/** One build at a time (tests, benchmarks and a manual run may start together): true = we hold the lock. */
function takeLock(log) {
  for (let waited = false; ; waited = true) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      let alive = false;
      try {
        alive = pid > 0 && process.kill(pid, 0);
      } catch { /* no such process */ }
      if (!alive) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (!waited) log(`llama.cpp: waiting for the build in process ${pid} to finish…`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
      if (TARGETS.every((t) => existsSync(binaryPath(t)))) return false;
    }
  }
}

function build(jobs, log, quiet) {
  const t0 = Date.now();
  const logFile = quiet ? join(LLAMA_CPP_DIR, 'build.log') : undefined;
  if (logFile) writeFileSync(logFile, '');
  if (!existsSync(join(srcDir, 'CMakeLists.txt'))) {
    rmSync(srcDir, { recursive: true, force: true });
    run('git', ['clone', '--quiet', bundle, srcDir], root, logFile);
  }
  log(`llama.cpp: building ${TARGETS.join(', ')} from node-llama-cpp's bundled source with -j${jobs} (6-18 min on 2 cores)${logFile ? `; log: ${logFile}` : ''}…`);
  run('cmake', ['-S', srcDir, '-B', buildDir, ...CMAKE_FLAGS], root, logFile);
  run('cmake', ['--build', buildDir, '--config', 'Release', `-j${jobs}`, '--target', ...TARGETS], root, logFile);
  const missing = TARGETS.filter((t) => !existsSync(binaryPath(t)));
  if (missing.length) throw new Error(`llama.cpp build finished but ${missing.join(', ')} missing`);
  log(`llama.cpp: built in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${LLAMA_CPP_BIN}`);
  return LLAMA_CPP_BIN;
}

/** llama-bench without OpenMP in .cache/llama.cpp/build-no-openmp (same flags otherwise); its path. Not locked: manual. */
export const NO_OPENMP_BENCH = join(LLAMA_CPP_DIR, 'build-no-openmp', 'bin', 'llama-bench');
/** llama-bench built with GGML_NATIVE=ON in .cache/llama.cpp/build-native; its path. Not locked: manual. */
export const NATIVE_BENCH = join(LLAMA_CPP_DIR, 'build-native', 'bin', 'llama-bench');

/**
 * llama.cpp's speculative decoding example (examples/speculative-simple), built into the main build folder with the
 * same flags plus the examples: the reference the speculative benches compare with. Not locked: manual / bench only.
 */
export function ensureSpeculativeExample({ jobs = Number(process.env.LLAMA_CPP_JOBS) || 2, log = console.log } = {}) {
  const bin = binaryPath('llama-speculative-simple');
  if (existsSync(bin)) return bin;
  ensureLlamaCppBuild({ jobs, log });
  const t0 = Date.now();
  log(`llama.cpp: building llama-speculative-simple with -j${jobs} (1-3 min on 2 cores after the main build)…`);
  run('cmake', ['-S', srcDir, '-B', buildDir, ...CMAKE_FLAGS.filter((f) => !f.startsWith('-DLLAMA_BUILD_EXAMPLES=')), '-DLLAMA_BUILD_EXAMPLES=ON'], root);
  run('cmake', ['--build', buildDir, '--config', 'Release', `-j${jobs}`, '--target', 'llama-speculative-simple'], root);
  log(`llama.cpp: built in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${bin}`);
  return bin;
}

function ensureBenchVariant({ jobs, log, dir: name, what, flags }) {
  const dir = join(LLAMA_CPP_DIR, name);
  const bin = join(dir, 'bin', 'llama-bench');
  if (existsSync(bin)) return bin;
  ensureLlamaCppBuild({ jobs, log }); // the source checkout
  const t0 = Date.now();
  log(`llama.cpp: building llama-bench ${what} with -j${jobs} (5-10 min on 2 cores)…`);
  run('cmake', ['-S', srcDir, '-B', dir, ...flags], root);
  run('cmake', ['--build', dir, '--config', 'Release', `-j${jobs}`, '--target', 'llama-bench'], root);
  log(`llama.cpp: built in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${bin}`);
  return bin;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--speculative')) console.log(ensureSpeculativeExample());
    else console.log(ensureLlamaCppBuild({ noOpenMp: process.argv.includes('--no-openmp'), native: process.argv.includes('--native') }));
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exit(1);
  }
}
