/**
 * Runtime-builder process entry (ESM, forked by the host for one build, leader of its own process group so Cancel
 * can kill CMake and the compilers with it): builds node-llama-cpp's native addon for this machine from the
 * llama.cpp source node-llama-cpp bundles (llama/gitRelease.bundle), offline, then copies the build into the
 * saved folder the host chose (global storage), where it outlives extension updates.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { installHint, parseBuildLine, runtimeCmakeOptions, type BuildPhase, type BuildTool, type CpuInfo } from '../../core/runtime/build-plan';
import { parseHostToBuilder, type BuilderToHost, type RuntimeBuildErrorCode, type RuntimeBuildParams } from '../../core/protocol/runtime-build';
import { errorMessage } from '../../core/result';
import { BUILD_DONE, isCompleteBuild, nodeLlamaCppDir } from '../runtime';

function send(message: BuilderToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

class BuildFailure extends Error {
  constructor(readonly code: RuntimeBuildErrorCode, message: string, readonly missing?: BuildTool[]) {
    super(message);
  }
}

const runs = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore', windowsHide: true, timeout: 20_000 });
  return r.status === 0;
};

/** The tools the build needs and are not on PATH. On Windows node-llama-cpp finds the Visual Studio compiler itself. */
function missingTools(): BuildTool[] {
  const missing: BuildTool[] = [];
  if (!runs('cmake', ['--version'])) missing.push('cmake');
  if (!runs('git', ['--version'])) missing.push('git');
  if (process.platform !== 'win32') {
    const compilers = [process.env.CXX, 'c++', 'g++', 'clang++'].filter((c): c is string => !!c);
    if (!compilers.some((c) => runs(c, ['--version']))) missing.push('C++ compiler');
  }
  return missing;
}

function cpuInfo(): CpuInfo {
  let flags = new Set<string>();
  if (process.platform === 'linux') {
    try {
      const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^flags\s*:/.test(l));
      flags = new Set((line?.split(':')[1] ?? '').trim().split(/\s+/).map((f) => f.toLowerCase()));
    } catch { /* unknown flags: a native build */ }
  }
  return { arch: process.arch, platform: process.platform, flags };
}

/** Follows the build's output (node-llama-cpp writes it to this process's stdout/stderr) for progress and a tail. */
function watchOutput(onPhase: (phase: BuildPhase, percent?: number) => void): () => string {
  const tail: string[] = [];
  let partial = '';
  const take = (chunk: unknown) => {
    partial += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : '';
    const lines = partial.split(/\r?\n|\r/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      const p = parseBuildLine(line);
      if (p) onPhase(p.phase, p.percent);
    }
  };
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      take(chunk);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  return () => tail.join('\n');
}

async function build(params: RuntimeBuildParams): Promise<void> {
  const missing = missingTools();
  if (missing.length) throw new BuildFailure('MISSING_TOOLS', `Building the runtime needs ${missing.join(', ')}. ${installHint(process.platform, missing)}`, missing);

  const pkgDir = nodeLlamaCppDir();
  const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const llamaDir = path.join(pkgDir, 'llama');
  const localBuildsDir = path.join(llamaDir, 'localBuilds');
  const sourceDir = path.join(llamaDir, 'llama.cpp');
  const bundle = path.join(llamaDir, 'gitRelease.bundle');
  const cmakeOptions = params.cmakeOptions ?? runtimeCmakeOptions(cpuInfo());
  const existing = existsSync(localBuildsDir) ? readdirSync(localBuildsDir) : [];
  await send({ type: 'runtime/started', localBuildsDir, existing, cmakeOptions });

  let lastPercent = -1;
  let lastPhase: BuildPhase | undefined;
  const progress = (phase: BuildPhase, percent?: number) => {
    if (phase === lastPhase && (percent === undefined || percent === lastPercent)) return;
    lastPhase = phase;
    if (percent !== undefined) lastPercent = percent;
    void send({ type: 'runtime/progress', phase, ...(percent !== undefined ? { percent } : {}) });
  };
  const outputTail = watchOutput(progress);

  // The source: node-llama-cpp's own bundled release, unpacked with git. Never GitHub (skipDownload below).
  if (!existsSync(path.join(sourceDir, '.git'))) {
    if (!existsSync(bundle) || !existsSync(path.join(llamaDir, 'llama.cpp.info.json'))) {
      throw new BuildFailure('NO_SOURCE', 'This copy of Ponder has no llama.cpp source to build from (node-llama-cpp\'s llama/gitRelease.bundle is missing). Reinstall Ponder from its VSIX; the prebuilt runtime keeps working meanwhile.');
    }
    progress('source');
    // Into a side folder first: a build cancelled mid-clone leaves nothing that looks like a complete source tree.
    const unpacking = `${sourceDir}.unpacking`;
    rmSync(unpacking, { recursive: true, force: true });
    const clone = spawnSync('git', ['clone', '--quiet', bundle, unpacking], { encoding: 'utf8', windowsHide: true });
    if (clone.status !== 0) throw new BuildFailure('BUILD_FAILED', `Could not unpack the bundled llama.cpp source: ${(clone.stderr || clone.error?.message || '').trim()}`);
    spawnSync('git', ['-C', unpacking, 'remote', 'remove', 'origin'], { windowsHide: true });
    rmSync(sourceDir, { recursive: true, force: true });
    renameSync(unpacking, sourceDir);
  }

  const started = Date.now();
  progress('configure');
  let llama;
  try {
    llama = await getLlama({ gpu: false, build: 'forceRebuild', skipDownload: true, cmakeOptions: { ...cmakeOptions }, progressLogs: true, logLevel: LlamaLogLevel.error, logger: () => undefined });
  } catch (e) {
    throw new BuildFailure('BUILD_FAILED', `The build failed: ${errorMessage(e).split('\n')[0]}. The prebuilt runtime keeps working. Last lines of the build output:\n${outputTail()}`);
  }
  progress('test');
  if (llama.buildType !== 'localBuild') throw new BuildFailure('LOAD_FAILED', 'The build finished but did not load on this machine; the prebuilt runtime keeps working.');
  await llama.dispose();

  // node-llama-cpp names the build folder after the options; the one just finished has the newest done-marker.
  const built = readdirSync(localBuildsDir)
    .filter((f) => isCompleteBuild(path.join(localBuildsDir, f)))
    .map((f) => ({ f, t: statSync(path.join(localBuildsDir, f, BUILD_DONE)).mtimeMs }))
    .sort((a, b) => b.t - a.t)[0];
  if (!built) throw new BuildFailure('LOAD_FAILED', 'The build finished but its folder was not found.');
  // What loads is Release/ (the addon, its libraries, the metadata) and the done-marker; the CMake tree (object
  // files, hundreds of MB) is not needed again.
  for (const entry of readdirSync(path.join(localBuildsDir, built.f))) {
    if (entry !== 'Release' && entry !== BUILD_DONE) rmSync(path.join(localBuildsDir, built.f, entry), { recursive: true, force: true });
  }
  const saved = path.join(params.savedDir, built.f);
  const staging = `${saved}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(path.join(localBuildsDir, built.f), staging, { recursive: true });
  rmSync(saved, { recursive: true, force: true });
  renameSync(staging, saved);
  // The unpacked source (≈ 100 MB) is not needed to run the build; a rebuild unpacks it again in seconds.
  rmSync(sourceDir, { recursive: true, force: true });

  const seconds = Math.round((Date.now() - started) / 100) / 10;
  await send({ type: 'runtime/done', record: { nodeLlamaCpp: version, folder: built.f, cmakeOptions, builtAt: new Date().toISOString(), seconds } });
  console.log(`built ${built.f} in ${seconds} s on ${cpus().length} cores`);
}

// The editor went away: stop the whole build (CMake and compilers are in this process group).
process.on('disconnect', () => {
  try {
    if (process.platform !== 'win32') process.kill(-process.pid, 'SIGKILL');
  } finally {
    process.exit(1);
  }
});

process.once('message', (raw: unknown) => {
  const parsed = parseHostToBuilder(raw);
  if (!parsed.ok) {
    void send({ type: 'runtime/failed', code: 'INTERNAL', message: `Malformed start message: ${parsed.error}` }).then(() => process.exit(1));
    return;
  }
  build(parsed.value.params).then(
    () => process.exit(0),
    async (e: unknown) => {
      const f = e instanceof BuildFailure ? e : new BuildFailure('INTERNAL', errorMessage(e));
      await send({ type: 'runtime/failed', code: f.code, message: f.message, ...(f.missing ? { missing: f.missing } : {}) });
      process.exit(1);
    },
  );
});
