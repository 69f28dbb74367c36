/**
 * "Ponder: Build Runtime for This Machine" without the editor: the real builder process compiles node-llama-cpp's
 * bundled llama.cpp source (offline, cmake + git + the system compiler), the real worker then runs on that build.
 * The full build takes 5–15 minutes on 2 cores; it runs once for the whole suite. No timings are asserted.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { GenerationOptions } from '../../src/core/protocol/engine';
import type { BuildPhase, RuntimeBuildRecord, RuntimeSpec } from '../../src/core/runtime/build-plan';
import { RuntimeBuildError, startRuntimeBuild } from '../../src/extension/runtime/build-client';
import { useClients } from '../support/engine';
import { scenarioModel } from '../support/models';
import { repoRoot } from '../support/paths';

const builder = path.join(repoRoot(), 'dist', 'runtime-build.mjs');
const nlcDir = path.resolve(path.dirname(createRequire(__filename).resolve('node-llama-cpp')), '..');
const localBuilds = path.join(nlcDir, 'llama', 'localBuilds');
const GREEDY: GenerationOptions = { temperature: 0 };
const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

/** True while any process of the group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('runtime built for this machine (real builder, real node-llama-cpp source build)', function () {
  this.timeout(40 * 60_000);
  const client = useClients();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ponder-runtime-'));
  const buildsBefore = list(localBuilds);
  after(() => {
    // Leave node-llama-cpp as it was: only the prebuilt runtime.
    for (const f of list(localBuilds)) if (!buildsBefore.includes(f)) rmSync(path.join(localBuilds, f), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('without cmake or a compiler on PATH: refused at once, naming them and how to install them; nothing written', async () => {
    const bin = path.join(tmp, 'bin-no-cmake');
    mkdirSync(bin);
    symlinkSync(execFileSync('sh', ['-c', 'command -v git']).toString().trim(), path.join(bin, 'git'));
    const savedDir = path.join(tmp, 'saved-missing');
    const handle = startRuntimeBuild({ childPath: builder, env: { ...process.env, PATH: bin, CXX: '' } }, { savedDir });
    const e = await handle.result.then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof RuntimeBuildError, String(e));
    assert.equal(e.code, 'MISSING_TOOLS');
    assert.deepEqual(e.missing, ['cmake', 'C++ compiler']);
    assert.match(e.message, /needs cmake, C\+\+ compiler\. .*apt-get install cmake git build-essential/);
    assert.deepEqual(list(localBuilds), buildsBefore);
    assert.equal(existsSync(savedDir), false);
  });

  it('Cancel while compiling: the whole process group (CMake, make, compilers) is gone, no partial build is left, the prebuilt runtime still answers', async () => {
    const savedDir = path.join(tmp, 'saved-cancel');
    const phases: string[] = [];
    let handle: ReturnType<typeof startRuntimeBuild> | undefined;
    const compiling = new Promise<void>((resolve) => {
      handle = startRuntimeBuild({ childPath: builder }, { savedDir }, (phase: BuildPhase, percent?: number) => {
        phases.push(percent === undefined ? phase : `${phase} ${percent}%`);
        if (phase === 'compile' && (percent ?? 0) >= 2) resolve();
      });
    });
    const pgid = handle!.pid!;
    await Promise.race([compiling, handle!.result.catch(() => undefined)]);
    assert.ok(phases.some((p) => p.startsWith('compile')), `compiling before the cancel: ${phases.join(', ')}`);
    assert.ok(groupAlive(pgid), 'the build is running');
    handle!.cancel();
    const e = await handle!.result.then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof RuntimeBuildError && e.code === 'CANCELLED', String(e));
    await until(() => !groupAlive(pgid), 'every process of the build to exit', 10_000);
    assert.deepEqual(list(localBuilds), buildsBefore, 'no partial build folder for node-llama-cpp to find');
    assert.deepEqual(list(savedDir), []);
    const m = await scenarioModel('short');
    const c = client();
    const status = await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048 });
    assert.equal(status.engine?.runtime, 'prebuilt');
    assert.equal((await c.chat('after-cancel', [{ role: 'user', text: 'hi' }], GREEDY).result).answer, m.spec.answer);
  });

  describe('a finished build', () => {
    const savedDir = path.join(tmp, 'saved');
    let record: RuntimeBuildRecord;
    let spec: RuntimeSpec;
    const phases = new Set<string>();

    before(async function () {
      this.timeout(40 * 60_000);
      record = await startRuntimeBuild({ childPath: builder }, { savedDir }, (phase) => phases.add(phase)).result;
      spec = { savedDir, folder: record.folder, cmakeOptions: record.cmakeOptions };
    });

    it('reports every phase, and keeps a copy outside node-llama-cpp (where an extension update cannot delete it)', () => {
      for (const p of ['configure', 'compile', 'test']) assert.ok(phases.has(p), `phase ${p} in ${[...phases].join(', ')}`);
      for (const dir of [path.join(savedDir, record.folder), path.join(localBuilds, record.folder)]) {
        assert.ok(existsSync(path.join(dir, 'buildDone.status')) && existsSync(path.join(dir, 'Release', 'llama-addon.node')), dir);
        assert.deepEqual(list(dir), ['Release', 'buildDone.status'], 'only what loads is kept (no CMake tree)');
      }
      assert.equal(record.nodeLlamaCpp, (createRequire(__filename)(path.join(nlcDir, 'package.json')) as { version: string }).version);
      assert.equal(existsSync(path.join(nlcDir, 'llama', 'llama.cpp')), false, 'the unpacked source is removed after the build');
    });

    it('the worker runs on it and answers exactly as on the prebuilt runtime', async () => {
      const m = await scenarioModel('short');
      const prebuilt = client();
      assert.equal((await prebuilt.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048 })).engine?.runtime, 'prebuilt');
      const expected = await prebuilt.chat('a', [{ role: 'user', text: 'hi' }], GREEDY).result;
      const built = client();
      const status = await built.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048, runtime: spec });
      assert.equal(status.engine?.runtime, 'built for this machine');
      assert.deepEqual(status.warnings, []);
      const got = await built.chat('a', [{ role: 'user', text: 'hi' }], GREEDY).result;
      assert.equal(got.answer, expected.answer);
      assert.equal(got.reasoning, expected.reasoning);
    });

    it('after an update replaced node-llama-cpp (its build folder gone), the worker puts the saved build back and runs on it', async () => {
      rmSync(path.join(localBuilds, record.folder), { recursive: true, force: true });
      const m = await scenarioModel('short');
      const logs: string[] = [];
      const c = client(logs);
      const status = await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048, runtime: spec });
      assert.equal(status.engine?.runtime, 'built for this machine');
      assert.ok(logs.some((l) => /Put back the runtime built for this machine/.test(l)), logs.join('\n'));
    });

    it('a build that no longer loads: the worker falls back to the prebuilt runtime, says so, and still answers', async () => {
      for (const dir of [path.join(localBuilds, record.folder), path.join(savedDir, record.folder)]) {
        const addon = execFileSync('find', [dir, '-name', 'llama-addon.node']).toString().trim().split('\n')[0];
        assert.ok(addon, `the addon in ${dir}`);
        truncateSync(addon, 100);
      }
      const m = await scenarioModel('short');
      const c = client();
      const status = await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048, runtime: spec });
      assert.equal(status.engine?.runtime, 'prebuilt');
      assert.ok(status.warnings.some((w) => /built for this machine is not used .*Build Runtime for This Machine/.test(w)), status.warnings.join('\n'));
      assert.equal((await c.chat('fallback', [{ role: 'user', text: 'hi' }], GREEDY).result).answer, m.spec.answer);
    });
  });
});
