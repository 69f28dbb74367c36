/**
 * Results are checked on arrival, per method, by the real clients: the real EngineClient and download client fork
 * a stand-in child (test/support/fake-worker.ts, fake-downloader.ts) over their ChildChannel, which answers with a
 * well-formed or a malformed result for every method of ENGINE_METHODS / DOWNLOAD_JOBS. No model, no network.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ENGINE_METHODS, parseResult, type EngineMethod } from '../../src/core/protocol/engine';
import { DOWNLOAD_JOBS, type DownloadJob } from '../../src/core/protocol/download';
import { EngineClient, MalformedResultError } from '../../src/extension/engine/engine-client';
import { MalformedJobResultError, querySystemMemory, startDownload, type DownloaderOptions } from '../../src/extension/models/download-client';
import { ChatController } from '../../src/extension/chat/chat-controller';
import { DOWNLOAD_RESULT_CASES, ENGINE_RESULT_CASES, FAKE_RESULTS_ENV } from '../support/fake-results';

const support = path.join(__dirname, '..', 'support');
const env = (mode: 'good' | 'bad') => ({ ...process.env, [FAKE_RESULTS_ENV]: mode });

/** How the host's code makes each request. `engine/shutdown` is sent by dispose(), which waits for the exit, not the reply. */
const CALLS: Readonly<Record<EngineMethod, ((c: EngineClient) => Promise<unknown>) | undefined>> = {
  'engine/load': (c) => c.load({ kind: 'local', modelPath: '/models/fake.gguf' }),
  'engine/status': (c) => c.status(),
  'engine/chat': (c) => c.chat('chat-1', [{ role: 'user', text: 'hi' }], {}).result,
  'engine/countTokens': (c) => c.countTokens('hi'),
  'engine/fitChat': (c) => c.fitChat([{ prompt: 'a', answer: 'b' }], { text: 'c' }),
  'engine/unload': (c) => c.unload(),
  'engine/shutdown': undefined,
};

describe('engine protocol: every method’s result is checked on arrival (real client, stand-in worker)', () => {
  const clients: EngineClient[] = [];
  const logs: string[] = [];
  const client = (mode: 'good' | 'bad') => {
    const c = new EngineClient({ workerPath: path.join(support, 'fake-worker.js'), env: env(mode), log: (l, m) => logs.push(`${l}: ${m}`) });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    logs.length = 0;
  });

  /** status() and unload() answer locally until a worker runs: start one with a request first. */
  const started = async (c: EngineClient) => {
    await c.countTokens('start').catch(() => undefined);
    assert.ok(c.pid, 'the stand-in worker runs');
    return c;
  };

  for (const method of Object.keys(ENGINE_METHODS).filter((k): k is EngineMethod => k in CALLS)) {
    const call = CALLS[method];
    const c = ENGINE_RESULT_CASES[method];
    if (!call) {
      it(`${method}: the host's parser refuses a malformed result, naming the problem (dispose() reads no reply)`, () => {
        const r = parseResult(method, c.bad);
        assert.ok(!r.ok && c.problem.test(r.error), JSON.stringify(r));
        assert.deepEqual(parseResult(method, c.good), { ok: true, value: c.good });
      });
      continue;
    }
    it(`${method}: a malformed result rejects the request with a MalformedResultError naming the method and the problem; the worker keeps running`, async () => {
      const fake = await started(client('bad'));
      const pid = fake.pid;
      const e = await call(fake).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof MalformedResultError, `rejected with ${String(e)}`);
      assert.equal(e.method, method);
      assert.equal(e.code, 'MALFORMED_RESULT');
      assert.match(e.message, new RegExp(`malformed result for ${method}: `));
      assert.match(e.problem, c.problem);
      assert.match(e.message, /reload the window/, 'the message says what to do');
      assert.equal(fake.pid, pid, 'nothing crashed: the same worker still answers');
      assert.ok(logs.some((l) => l.startsWith('error: ') && l.includes(method)), 'the log has the details');
    });
    it(`${method}: a well-formed result resolves (the stand-in is not broken)`, async () => {
      await call(await started(client('good')));
    });
  }

  it('a malformed chat result ends the turn with an actionable error in the chat, not a crash', async () => {
    const fake = client('bad');
    const errors: string[] = [];
    const chat = new ChatController({ engine: async () => fake, post: () => undefined, maxThinkingTokens: () => undefined, onError: (m) => errors.push(m) });
    const turn = await chat.send('hi');
    assert.equal(turn.outcome.stopReason, 'error');
    assert.match(turn.outcome.error ?? '', /malformed result for engine\/chat: stats\.durationMs must be a number\. .*reload the window/);
    assert.deepEqual(errors, [turn.outcome.error]);
    assert.equal(chat.busy, false);
  });
});

describe('download protocol: each job’s result is checked on arrival (real client, stand-in downloader)', () => {
  const options = (mode: 'good' | 'bad'): DownloaderOptions => ({ childPath: path.join(support, 'fake-downloader.js'), env: env(mode) });
  const run: Readonly<Record<DownloadJob, (o: DownloaderOptions) => Promise<unknown>>> = {
    'download/start': (o) => startDownload(o, { uri: 'hf:a/b/c.gguf', folder: '/models', label: 'fake' }).result,
    'download/systemInfo': (o) => querySystemMemory(o),
  };
  for (const job of Object.keys(DOWNLOAD_JOBS).filter((k): k is DownloadJob => k in run)) {
    it(`${job}: a malformed result fails the job with a MalformedJobResultError naming it and the problem`, async () => {
      const e = await run[job](options('bad')).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof MalformedJobResultError, `rejected with ${String(e)}`);
      assert.equal(e.job, job);
      assert.equal(e.code, 'MALFORMED_RESULT');
      assert.match(e.problem, DOWNLOAD_RESULT_CASES[job].problem);
      assert.match(e.message, new RegExp(`malformed result for ${job}: `));
    });
    it(`${job}: a well-formed result resolves with it`, async () => {
      assert.deepEqual(await run[job](options('good')), DOWNLOAD_RESULT_CASES[job].good);
    });
  }
});
