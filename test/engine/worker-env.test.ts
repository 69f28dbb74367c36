/**
 * The engine worker runs in the environment that makes llama.cpp decode at full speed (src/core/runtime/worker-env.ts:
 * one libuv pool thread, huge pages on Linux): read from the real worker process, as the EngineClient forks it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EngineClient } from '../../src/extension/engine/engine-client';
import { scenarioModel } from '../support/models';
import { repoRoot } from '../support/paths';

/**
 * The environment a running process was started with (Linux /proc), and GLIBC_TUNABLES as glibc read it: glibc splits
 * that variable in place at its ':' separators when the process starts, so /proc shows the later tunables as entries
 * of their own, after a NUL.
 */
function environOf(pid: number): { env: Record<string, string>; tunables: string[] } {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  const env: Record<string, string> = {};
  const tunables: string[] = [];
  let inTunables = false;
  for (const e of entries) {
    const key = e.slice(0, e.indexOf('='));
    if (key === 'GLIBC_TUNABLES') {
      inTunables = true;
      tunables.push(e.slice(key.length + 1));
    } else if (inTunables && key.startsWith('glibc.')) {
      tunables.push(e);
      continue;
    } else {
      inTunables = false;
    }
    env[key] = e.slice(key.length + 1);
  }
  return { env, tunables };
}

describe('engine worker environment', function () {
  this.timeout(60_000);
  const clients: EngineClient[] = [];
  const client = (env: NodeJS.ProcessEnv) => {
    const c = new EngineClient({ workerPath: path.join(repoRoot(), 'dist', 'worker.mjs'), log: () => {}, restartDelayMs: () => 50, env });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  before(function () {
    if (process.platform !== 'linux') this.skip(); // reads /proc; the settings themselves are unit-tested
  });

  it('the worker decodes from one libuv pool thread with huge pages, whatever pool size the editor had', async () => {
    const m = await scenarioModel('short');
    const c = client({ ...process.env, UV_THREADPOOL_SIZE: '8', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 512 });
    const { env, tunables } = environOf(c.pid!);
    assert.equal(env.UV_THREADPOOL_SIZE, '1');
    assert.deepEqual(tunables, ['glibc.malloc.arena_max=2', 'glibc.malloc.hugetlb=1'], "huge pages, and the user's own tunable kept");
    assert.equal((await c.chat('e', [{ role: 'user', text: 'hi' }], {}).result).answer, m.spec.answer, 'and it answers');
  });

  it('PONDER_ONE_POOL_THREAD=0 / PONDER_HUGE_PAGES=0 leave the environment as it was', async () => {
    const m = await scenarioModel('short');
    const base = { ...process.env };
    delete base.GLIBC_TUNABLES;
    const c = client({ ...base, UV_THREADPOOL_SIZE: '8', PONDER_ONE_POOL_THREAD: '0', PONDER_HUGE_PAGES: '0' });
    await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 512 });
    const { env, tunables } = environOf(c.pid!);
    assert.equal(env.UV_THREADPOOL_SIZE, '8');
    assert.deepEqual(tunables, []);
  });
});
