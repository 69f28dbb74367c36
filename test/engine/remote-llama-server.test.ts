/**
 * The remote engine against a REAL llama.cpp llama-server (built offline from node-llama-cpp's bundled source, see
 * scripts/llama-cpp/build.mjs) serving generated GGUF models on 127.0.0.1, through the real forked worker.
 * The first run builds the server (minutes, once; cached in .cache/llama.cpp). No wall-clock assertions.
 */
import assert from 'node:assert/strict';
import type { EngineSpec } from '../../src/core/protocol/engine';
import type { EngineClient } from '../../src/extension/engine/engine-client';
import { newClient } from '../support/engine';
import { startLlamaServer, llamaServerBinary, type LlamaServer } from '../support/llama-server';
import { scenarioModel } from '../support/models';

const remote = (server: LlamaServer): EngineSpec => ({ kind: 'openai-compatible', baseUrl: server.baseUrl, model: '', timeoutMs: 30_000 });

interface Slot { readonly is_processing: boolean }

describe('remote engine against a real llama-server (generated models)', function () {
  this.timeout(60_000);
  let short: Awaited<ReturnType<typeof scenarioModel>>;
  let long: Awaited<ReturnType<typeof scenarioModel>>;
  let shortServer: LlamaServer;
  let longServer: LlamaServer;
  let client: EngineClient;
  const logs: string[] = [];

  before(async function () {
    this.timeout(45 * 60_000); // first run on a clean clone builds llama-server (6-18 min on 2 cores)
    await llamaServerBinary();
    [short, long] = await Promise.all([scenarioModel('short'), scenarioModel('long-thought')]);
    [shortServer, longServer] = await Promise.all([startLlamaServer(short.path), startLlamaServer(long.path)]);
    client = newClient(logs);
  });
  after(async () => {
    await client?.dispose();
    await Promise.all([shortServer?.stop(), longServer?.stop()]);
  });

  it('loads: learns the context size from the server and counts tokens with its tokenizer', async () => {
    const status = await client.load(remote(shortServer));
    assert.equal(status.state, 'ready');
    assert.equal(status.engine?.kind, 'openai-compatible');
    assert.match(status.engine?.chatFormat ?? '', /llama\.cpp server/);
    assert.equal(status.engine?.contextSize, 2048, 'n_ctx from /props');
    assert.equal(status.engine?.tokenCounts, 'exact');
    assert.deepEqual(status.warnings, []);
    const one = await client.countTokens('hello');
    const many = await client.countTokens('hello '.repeat(50));
    assert.equal(one.estimated, false);
    assert.ok(one.tokens >= 1 && many.tokens > one.tokens * 10, `${one.tokens} vs ${many.tokens}`);
  });

  it('streams reasoning (reasoning_content) and answer (content) as separate chunks, with stats from the server', async () => {
    await client.load(remote(shortServer));
    const chunks: { kind: 'reasoning' | 'answer'; text: string }[] = [];
    const r = await client.chat('r1', [{ role: 'user', text: 'hello' }], {}, { onChunk: (kind, text) => chunks.push({ kind, text }) }).result;
    const firstAnswer = chunks.findIndex((c) => c.kind === 'answer');
    assert.ok(firstAnswer > 0, 'reasoning first');
    assert.ok(chunks.slice(firstAnswer).every((c) => c.kind === 'answer'), 'no reasoning after the answer started');
    assert.equal(r.reasoning, short.spec.thought);
    assert.equal(r.answer, short.spec.answer);
    assert.ok(!r.answer.includes('think>'), 'no tags in the answer');
    assert.equal(r.stopReason, 'done');
    const s = r.stats;
    assert.ok(s.promptTokens > 3 && s.thinkingTokens > 5 && s.answerTokens > 3, JSON.stringify(s));
    assert.ok(s.tokensPerSecond > 0 && s.contextSize === 2048 && s.contextTokens === s.promptTokens + s.thinkingTokens + s.answerTokens);
  });

  it('a follow-up turn works and reuses the server’s prompt cache', async () => {
    await client.load(remote(shortServer));
    const t1 = await client.chat('r2', [{ role: 'user', text: 'Explain closures in JavaScript.' }], {}).result;
    const t2 = await client.chat('r2', [
      { role: 'user', text: 'Explain closures in JavaScript.' },
      { role: 'assistant', text: t1.answer },
      { role: 'user', text: 'And in Python?' },
    ], {}).result;
    assert.equal(t2.answer, short.spec.answer);
    assert.equal(t2.reasoning, short.spec.thought);
    assert.ok(t2.stats.promptTokens > t1.stats.promptTokens);
    assert.ok(t2.stats.reusedTokens > 0 && t2.stats.evaluatedTokens < t2.stats.promptTokens, `reused ${t2.stats.reusedTokens} of ${t2.stats.promptTokens}`);
  });

  it('abort closes the request and llama-server stops generating (its slot goes idle); the engine keeps working', async () => {
    await client.load(remote(longServer));
    const logStart = longServer.logs.length;
    const abort = new AbortController();
    let reasoningChunks = 0;
    let afterAbort = 0;
    const r = await client.chat('r3', [{ role: 'user', text: 'think hard' }], {}, {
      signal: abort.signal,
      onChunk: (kind) => {
        if (abort.signal.aborted) afterAbort++;
        if (kind === 'reasoning' && ++reasoningChunks === 20) abort.abort();
      },
    }).result;
    assert.equal(r.stopReason, 'aborted');
    assert.equal(afterAbort, 0, 'no chunk after the abort');
    assert.equal(r.answer, '');
    // The looping thought would otherwise run until the 2048-token context is full.
    let slot: Slot | undefined;
    for (let i = 0; i < 200; i++) {
      slot = ((await longServer.getJson('/slots')) as Slot[])[0];
      if (!slot.is_processing) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(slot && !slot.is_processing, 'the server slot is idle again');
    // Its log reaches us through a pipe, possibly after the slot already reads idle: wait for the lines (≤ 5 s).
    for (let i = 0; i < 100 && !longServer.logs.slice(logStart).some((l) => /stop processing/.test(l)); i++) await new Promise((res) => setTimeout(res, 50));
    const tail = longServer.logs.slice(logStart);
    assert.ok(tail.some((l) => /cancel task/.test(l)), `llama-server logged the cancellation:\n${tail.join('\n')}`);
    const stopped = Number(/stop processing: n_tokens = (\d+)/.exec(tail.filter((l) => /stop processing/.test(l)).at(-1) ?? '')?.[1]);
    assert.ok(stopped < 1000, `it stopped near the abort (${stopped} tokens in the slot, context 2048)`);
    const again = await client.chat('r3', [{ role: 'user', text: 'again' }], { maxThinkingTokens: 10 }).result;
    assert.equal(again.stopReason, 'done');
    assert.equal(again.answer, long.spec.answer);
  });

  it('"answer now" ends the thought on the server, in the same stream, and the answer follows', async () => {
    await client.load(remote(longServer));
    const logStart = longServer.logs.length;
    let handle: ReturnType<EngineClient['chat']> | undefined;
    let reasoningChunks = 0;
    const kinds: string[] = [];
    handle = client.chat('r4', [{ role: 'user', text: 'think forever' }], {}, {
      onChunk: (kind) => {
        kinds.push(kind);
        if (kind === 'reasoning' && ++reasoningChunks === 30) handle?.endThinking();
      },
    });
    const r = await handle.result;
    assert.equal(r.stopReason, 'done');
    assert.equal(r.thoughtCutShort, true);
    assert.equal(r.answer, long.spec.answer);
    assert.ok(kinds.slice(kinds.indexOf('answer')).every((k) => k === 'answer'));
    assert.ok(r.stats.thinkingTokens >= 30 && r.stats.thinkingTokens < 1000, `cut near the request (${r.stats.thinkingTokens})`);
    const tasks = longServer.logs.slice(logStart).filter((l) => /launch_slot_/.test(l));
    assert.equal(tasks.length, 1, 'one completion: the server ended the reasoning in place (no second request)');
  });

  it('a thinking budget is enforced by the server and the answer follows in the same turn', async () => {
    await client.load(remote(longServer));
    const r = await client.chat('r5', [{ role: 'user', text: 'think' }], { maxThinkingTokens: 40 }).result;
    assert.equal(r.answer, long.spec.answer);
    assert.equal(r.thoughtCutShort, true);
    assert.ok(r.stats.thinkingTokens <= 42, `thinking tokens ${r.stats.thinkingTokens} within the budget of 40`);
  });
});
