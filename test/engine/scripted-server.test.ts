/**
 * The scripted multi-reply STAND-IN (test/support/scripted-server.ts; not a model) through the real forked worker
 * and its remote engine: reply N to request N, reasoning and answer separated from `reasoning_content`, every
 * prompt recorded (also over HTTP, as the VS Code suites read it), and a clear error when the script runs out.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EngineClient, EngineRequestError } from '../../src/extension/engine/engine-client';
import { repoRoot } from '../support/paths';
import { recordedRequests, scriptReplies, startScriptedServer, type ScriptedServer } from '../support/scripted-server';

describe('scripted stand-in server (real worker, remote engine)', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let client: EngineClient;

  before(async () => {
    server = await startScriptedServer();
    client = new EngineClient({ workerPath: path.join(repoRoot(), 'dist', 'worker.mjs'), log: () => undefined, restartDelayMs: () => 50 });
    const status = await client.load({ kind: 'openai-compatible', baseUrl: server.baseUrl, model: '', timeoutMs: 5000 });
    assert.equal(status.engine?.contextSize, 8192, 'the context size the stand-in lists');
    assert.equal(status.engine?.tokenCounts, 'exact', 'it counts tokens (/tokenize)');
  });
  after(async () => {
    await client.dispose();
    await server.stop();
  });

  it('answers request N with reply N and records each prompt with its history', async () => {
    await scriptReplies(server.root, [
      { reasoning: 'First I think about it at some length.', answer: 'First answer.' },
      { reasoning: 'Second thought.', answer: '```ts\nexport const x = 2;\n```\n' },
    ]);
    const one = await client.chat('c', [{ role: 'user', text: 'question one' }], {}).result;
    assert.deepEqual([one.reasoning, one.answer], ['First I think about it at some length.', 'First answer.']);
    const two = await client.chat('c', [{ role: 'user', text: 'question one' }, { role: 'assistant', text: one.answer }, { role: 'user', text: 'question two' }], {}).result;
    assert.deepEqual([two.reasoning, two.answer.trimEnd()], ['Second thought.', '```ts\nexport const x = 2;\n```']);
    assert.ok(two.stats.thinkingTokens > 0 && two.stats.answerTokens > 0);
    const seen = await recordedRequests(server.root);
    assert.deepEqual(seen.map((r) => r.prompt), ['question one', 'question two']);
    assert.deepEqual(seen[1].messages.map((m) => m.role), ['user', 'assistant', 'user'], 'the second request carries the first turn');
    assert.equal(server.requests.length, 2, 'also readable in-process');
  });

  it('a request past the end of the script fails with a message naming the request', async () => {
    server.script([]);
    await assert.rejects(client.chat('c', [{ role: 'user', text: 'one too many' }], {}).result, (e: unknown) => e instanceof EngineRequestError && /no reply scripted for chat request 1/.test(e.message));
  });
});
