/** Faults: dead worker, bad model files, malformed messages, orphans, idle unload. Real worker, generated models. */
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import * as path from 'node:path';
import { once } from 'node:events';
import type { EngineStatus } from '../../src/core/protocol/engine';
import { EngineRequestError } from '../../src/extension/engine/engine-client';
import { loadGenerator, modelsDir, scenarioModel } from '../support/models';
import { repoRoot } from '../support/paths';
import { useClients } from '../support/engine';

const local = (modelPath: string) => ({ kind: 'local' as const, modelPath, threads: 1, contextSize: 1024 });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('engine faults', function () {
  this.timeout(60_000);
  const client = useClients();

  it('worker killed mid-stream: the pending request fails with a clear error, the next request works', async () => {
    const m = await scenarioModel('long-thought');
    const short = await scenarioModel('short');
    const c = client();
    await c.load(local(m.path));
    const firstPid = c.pid;
    assert.ok(firstPid);
    let killed = false;
    const chat = c.chat('k', [{ role: 'user', text: 'think' }], {}, {
      onChunk: () => {
        if (!killed) {
          killed = true;
          process.kill(firstPid, 'SIGKILL');
        }
      },
    });
    await assert.rejects(chat.result, (e: unknown) => {
      assert.ok(e instanceof EngineRequestError);
      assert.equal(e.code, 'WORKER_DIED');
      assert.match(e.message, /stopped unexpectedly.*SIGKILL.*restarts on your next request/);
      return true;
    });
    // Restarts on the next request and reloads the model it had.
    const r = await c.chat('k', [{ role: 'user', text: 'again' }], { maxThinkingTokens: 5 }).result;
    assert.equal(r.stopReason, 'done');
    assert.ok(c.pid && c.pid !== firstPid, 'a new worker process');
    await c.load(local(short.path));
    assert.equal((await c.chat('k', [{ role: 'user', text: 'hi' }], {}).result).answer, short.spec.answer);
  });

  describe('bad model files: a message naming the file and the fix; the worker stays healthy', () => {
    const cases: { name: string; file: () => Promise<string>; code: string; says: RegExp }[] = [
      { name: 'missing', file: async () => path.join(modelsDir(), 'does-not-exist.gguf'), code: 'MODEL_NOT_FOUND', says: /not found/ },
      { name: 'not a GGUF file', file: async () => (await loadGenerator()).writeCorruptModels(path.join(modelsDir(), 'bad')).then((b) => b.notGguf), code: 'MODEL_INVALID', says: /not a GGUF model file/ },
      { name: 'empty', file: async () => (await loadGenerator()).writeCorruptModels(path.join(modelsDir(), 'bad')).then((b) => b.empty), code: 'MODEL_INVALID', says: /empty \(0 bytes\)/ },
      { name: 'truncated', file: async () => (await loadGenerator()).writeCorruptModels(path.join(modelsDir(), 'bad')).then((b) => b.truncated), code: 'MODEL_INVALID', says: /truncated|damaged/ },
      { name: 'a directory', file: async () => modelsDir(), code: 'MODEL_INVALID', says: /not a file/ },
    ];
    for (const k of cases) {
      it(`${k.name}`, async () => {
        const good = await scenarioModel('short');
        const file = await k.file();
        const c = client();
        await c.load(local(good.path));
        const pid = c.pid;
        await assert.rejects(c.load(local(file)), (e: unknown) => {
          assert.ok(e instanceof EngineRequestError);
          assert.equal(e.code, k.code);
          assert.match(e.message, k.says);
          assert.ok(e.message.includes(file), 'names the file');
          assert.match(e.message, /Select Model|ponder\.model/, 'says how to fix it');
          return true;
        });
        assert.equal(c.pid, pid, 'the same worker process is still running');
        const r = await c.chat('b', [{ role: 'user', text: 'hi' }], {}).result;
        assert.equal(r.answer, good.spec.answer, 'the previously loaded model keeps answering');
      });
    }
  });

  it('drops malformed messages with a log line and answers BAD_REQUEST when it can name the request', async () => {
    const worker = fork(path.join(repoRoot(), 'dist', 'worker.mjs'), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    try {
      const messages: unknown[] = [];
      worker.on('message', (m) => messages.push(m));
      worker.send({ type: 'engine/chat', id: 5, params: { chatId: 'x', turns: 'not turns' } });
      worker.send(42);
      worker.send({ type: 'engine/format-disk', id: 6 });
      worker.send({ type: 'engine/status', id: 7, params: {} });
      await waitFor(() => messages.some((m) => typeof m === 'object' && m !== null && 'id' in m && m.id === 7), 'status reply');
      const replies = messages.filter((m): m is { type: string; id: number; ok: boolean; error?: { code: string } } => typeof m === 'object' && m !== null && 'type' in m && m.type === 'engine/reply');
      assert.deepEqual(replies.map((r) => [r.id, r.ok, r.error?.code]), [[5, false, 'BAD_REQUEST'], [6, false, 'BAD_REQUEST'], [7, true, undefined]]);
      assert.ok(messages.filter((m) => typeof m === 'object' && m !== null && 'type' in m && m.type === 'engine/log').length >= 3, 'each malformed message is logged');
    } finally {
      worker.kill();
    }
  });

  it('leaves no orphan: the worker exits when its host process is killed', async () => {
    const m = await scenarioModel('short');
    const host = spawn(process.execPath, [
      path.join(repoRoot(), 'test/fixtures/host-process.js'),
      path.join(repoRoot(), 'out/src/extension/engine/engine-client.js'),
      path.join(repoRoot(), 'dist/worker.mjs'),
      m.path,
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    host.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => /worker \d+/.test(out), 'host reports its worker');
    const workerPid = Number(/worker (\d+)/.exec(out)?.[1]);
    assert.ok(alive(workerPid));
    host.kill('SIGKILL');
    await once(host, 'exit');
    await waitFor(() => !alive(workerPid), 'worker exits after its host died');
  });

  it('unloads an idle model after the configured time and reloads it on the next request', async () => {
    const m = await scenarioModel('short');
    const statuses: EngineStatus[] = [];
    const c = client([], statuses);
    await c.load(local(m.path), 300);
    await waitFor(() => statuses.at(-1)?.state === 'idle', 'idle unload');
    assert.equal((await c.status()).state, 'idle');
    const r = await c.chat('i', [{ role: 'user', text: 'hi' }], {}).result;
    assert.equal(r.answer, m.spec.answer);
    assert.ok(statuses.some((s, i) => i > 0 && s.state === 'loading'), 'it reloaded');
  });

  it('a chat before any model was loaded says how to choose one', async () => {
    const c = client();
    await assert.rejects(c.chat('n', [{ role: 'user', text: 'hi' }], {}).result, /No model is loaded.*Select Model/);
  });
});
