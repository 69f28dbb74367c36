/**
 * The engine through the real forked worker, real node-llama-cpp and generated GGUF models (no fake engine).
 * No wall-clock assertions: timings are reported by bench/, not asserted here.
 */
import assert from 'node:assert/strict';
import { EngineRequestError, type EngineClient } from '../../src/extension/engine/engine-client';
import { useClients } from '../support/engine';
import { scenarioModel } from '../support/models';
import { generationLimits } from '../../src/core/chat/generation-limits';
import { neutralizeThinkTags } from '../../src/core/chat/mentions';

/** 1 thread: on 2 cores, ggml's spinning threads fight Node's and a tiny model collapses to a few tok/s. */
const local = (modelPath: string) => ({ kind: 'local' as const, modelPath, threads: 1, contextSize: 2048 });

/** Collects chunks in order; `until` fires once after n reasoning chunks. */
function recorder(until?: { reasoningChunks: number; then: () => void }) {
  const chunks: { kind: 'reasoning' | 'answer'; text: string }[] = [];
  let fired = false;
  return {
    chunks,
    onChunk: (kind: 'reasoning' | 'answer', text: string) => {
      chunks.push({ kind, text });
      if (until && !fired && chunks.filter((c) => c.kind === 'reasoning').length >= until.reasoningChunks) {
        fired = true;
        until.then();
      }
    },
    text: (kind: 'reasoning' | 'answer') => chunks.filter((c) => c.kind === kind).map((c) => c.text).join(''),
  };
}

describe('engine worker (real node-llama-cpp, generated models)', function () {
  this.timeout(60_000);
  const client = useClients();

  it('starts no process until a request needs it', async () => {
    const c = client();
    assert.equal(c.pid, undefined);
    assert.deepEqual(await c.status(), { state: 'idle', warnings: [] });
    assert.equal(c.pid, undefined, 'asking for the status of a never-started engine does not start it');
  });

  it('streams the reasoning first, then the answer, as separately typed chunks, then stats', async () => {
    const m = await scenarioModel('short');
    const c = client();
    const status = await c.load(local(m.path));
    assert.equal(status.state, 'ready');
    assert.equal(status.engine?.chatFormat, 'DeepSeekChatWrapper', 'an R1 distill template resolves to the DeepSeek format');
    const rec = recorder();
    const r = await c.chat('c1', [{ role: 'user', text: 'hello' }], {}, { onChunk: rec.onChunk }).result;
    const firstAnswer = rec.chunks.findIndex((x) => x.kind === 'answer');
    assert.ok(firstAnswer > 0, 'reasoning arrives before the answer');
    assert.ok(rec.chunks.slice(firstAnswer).every((x) => x.kind === 'answer'), 'no reasoning after the answer started');
    assert.equal(rec.text('reasoning').trim(), m.spec.thought);
    assert.equal(rec.text('answer').trim(), m.spec.answer);
    assert.ok(!rec.text('answer').includes('</think>') && !rec.text('answer').includes('<think>'), 'no tags leak into the answer');
    assert.equal(r.reasoning, m.spec.thought);
    assert.equal(r.answer, m.spec.answer);
    assert.equal(r.stopReason, 'done');
    assert.equal(r.thoughtCutShort, false);
    const s = r.stats;
    assert.ok(s.promptTokens > 3 && s.thinkingTokens > 5 && s.answerTokens > 3, JSON.stringify(s));
    assert.equal(s.evaluatedTokens, s.promptTokens, 'a fresh sequence evaluates the whole prompt');
    assert.equal(s.reusedTokens, 0);
    assert.ok(s.timeToFirstTokenMs > 0 && s.tokensPerSecond > 0 && s.contextSize === 2048);
    assert.ok(s.contextTokens >= s.promptTokens + s.thinkingTokens + s.answerTokens - 1);
  });

  it('turn 2 re-evaluates nothing before the first token where its context differs from turn 1', async () => {
    const m = await scenarioModel('short');
    const c = client();
    await c.load(local(m.path));
    const t1 = await c.chat('c2', [{ role: 'user', text: 'Explain closures in JavaScript.' }], {}).result;
    const turns = [
      { role: 'user' as const, text: 'Explain closures in JavaScript.' },
      { role: 'assistant' as const, text: t1.answer },
      { role: 'user' as const, text: 'And in Python?' },
    ];
    const t2 = await c.chat('c2', turns, {}).result;
    const s = t2.stats;
    // Turn 1's thought is dropped from history, so the context may differ from the start of turn 1's reply
    // (the `<think>\n` the template adds): at most those 2 prompt tokens of turn 1 are re-evaluated.
    assert.ok(s.reusedTokens >= t1.stats.promptTokens - 2, `reused ${s.reusedTokens} of turn 1's ${t1.stats.promptTokens} prompt tokens`);
    assert.equal(s.evaluatedTokens, s.promptTokens - s.reusedTokens, 'evaluated exactly the tokens after the first difference');
    assert.ok(s.evaluatedTokens < s.promptTokens, 'the KV cache was reused');
    assert.equal(t2.answer, m.spec.answer);
  });

  it('stops on abort: no chunk after the abort, the request settles as aborted, the engine keeps working', async () => {
    const m = await scenarioModel('long-thought');
    const c = client();
    await c.load(local(m.path));
    const abort = new AbortController();
    let afterAbort = 0;
    const rec = recorder({ reasoningChunks: 20, then: () => abort.abort() });
    const r = await c.chat('c3', [{ role: 'user', text: 'think hard' }], {}, {
      signal: abort.signal,
      onChunk: (k, t) => {
        if (abort.signal.aborted) afterAbort++;
        rec.onChunk(k, t);
      },
    }).result;
    assert.equal(r.stopReason, 'aborted');
    assert.equal(afterAbort, 0, 'no chunk reached the caller after it aborted');
    assert.equal(rec.text('answer'), '', 'stopped mid-thought: no answer');
    assert.ok(r.stats.thinkingTokens >= 20 && r.stats.thinkingTokens < 2000, `stopped near the abort (${r.stats.thinkingTokens} tokens)`);
    const again = await c.chat('c3', [{ role: 'user', text: 'again' }], { maxThinkingTokens: 10 }).result;
    assert.equal(again.stopReason, 'done');
  });

  it('a new chat sent while the previous one is being stopped waits for it, instead of failing', async () => {
    const m = await scenarioModel('long-thought');
    const c = client();
    await c.load(local(m.path));
    const abort = new AbortController();
    let next: Promise<{ stopReason: string; answer: string }> | undefined;
    const rec = recorder({
      reasoningChunks: 10,
      then: () => {
        abort.abort(); // Stop, and at once a new question (what the panel does when you send while it thinks)
        next = c.chat('q', [{ role: 'user', text: 'new question' }], { maxThinkingTokens: 5 }).result;
      },
    });
    const first = await c.chat('q', [{ role: 'user', text: 'think' }], {}, { signal: abort.signal, onChunk: rec.onChunk }).result;
    assert.equal(first.stopReason, 'aborted');
    assert.ok(next, 'the second chat was sent');
    const second = await next;
    assert.equal(second.stopReason, 'done');
    assert.equal(second.answer, m.spec.answer);
  });

  it('a thinking budget ends the thought and the answer follows in the same turn', async () => {
    const m = await scenarioModel('long-thought');
    const c = client();
    await c.load(local(m.path));
    const r = await c.chat('c4', [{ role: 'user', text: 'think' }], { maxThinkingTokens: 40 }).result;
    assert.ok(r.stats.thinkingTokens <= 41, `thinking tokens ${r.stats.thinkingTokens} within the budget of 40`);
    assert.equal(r.answer, m.spec.answer);
    assert.equal(r.thoughtCutShort, true);
    assert.equal(r.stopReason, 'done');
  });

  it('a conversation that overflows the context fails with a clear, actionable message', async () => {
    // The generated model's tokens re-tokenize to ~4x as many when node-llama-cpp rebuilds the context after the
    // thought ends, so a 150-token thought cannot fit a 256-token context: a reproducible overflow.
    const m = await scenarioModel('long-thought');
    const c = client();
    await c.load({ ...local(m.path), contextSize: 256 });
    await assert.rejects(c.chat('c6', [{ role: 'user', text: 'think' }], { maxThinkingTokens: 150 }).result, (e: unknown) => {
      assert.ok(e instanceof EngineRequestError);
      assert.equal(e.code, 'CONTEXT_FULL');
      assert.match(e.message, /no longer fits in the model's 256-token context.*New chat|new chat/i);
      return true;
    });
    assert.equal((await c.chat('c7', [{ role: 'user', text: 'again' }], { maxThinkingTokens: 10 }).result).stopReason, 'done', 'the engine still answers');
  });

  it('endThinking makes a running generation stop thinking and answer in the same turn', async () => {
    const m = await scenarioModel('long-thought');
    const c = client();
    await c.load(local(m.path));
    let handle: ReturnType<EngineClient['chat']> | undefined;
    const rec = recorder({ reasoningChunks: 30, then: () => handle?.endThinking() });
    handle = c.chat('c5', [{ role: 'user', text: 'think forever' }], {}, { onChunk: rec.onChunk });
    const r = await handle.result;
    assert.equal(r.stopReason, 'done');
    assert.equal(r.thoughtCutShort, true);
    assert.equal(r.answer, m.spec.answer, 'the answer arrived after the thought was cut');
    assert.equal(rec.text('answer').trim(), m.spec.answer);
    const firstAnswer = rec.chunks.findIndex((x) => x.kind === 'answer');
    assert.ok(rec.chunks.slice(firstAnswer).every((x) => x.kind === 'answer'));
    assert.ok(r.stats.thinkingTokens >= 30 && r.stats.thinkingTokens < 2000, `thought cut near the request (${r.stats.thinkingTokens})`);
    assert.ok(r.reasoning.length > 0);
  });

  it('a reply that loops forever stops at the generated-token ceiling (ponder.maxGeneratedTokens), marked maxTokens', async () => {
    const m = await scenarioModel('loop-answer');
    const c = client();
    await c.load(local(m.path));
    const limits = generationLimits(300, undefined);
    const rec = recorder();
    const r = await c.chat('loop', [{ role: 'user', text: 'list everything' }], limits, { onChunk: rec.onChunk }).result;
    assert.equal(r.stopReason, 'maxTokens');
    const generated = r.stats.thinkingTokens + r.stats.answerTokens;
    assert.ok(generated <= 300 && generated > 200, `${generated} tokens generated for a ceiling of 300`);
    assert.equal(r.reasoning, m.spec.thought, 'the thought ended by itself');
    assert.ok(r.answer.split(m.spec.answer.trim()).length > 3, `the answer is the text looping: ${r.answer.slice(0, 120)}`);
  });

  it('a literal </think> in user text is one special token to the model; the neutralized form is plain text', async () => {
    const m = await scenarioModel('short');
    const c = client();
    await c.load(local(m.path));
    // Why attached files are neutralized: the tag in a user's file would otherwise end a reasoning block.
    assert.equal((await c.countTokens('</think>')).tokens, 1);
    assert.ok((await c.countTokens(neutralizeThinkTags('</think>'))).tokens > 3);
  });

  it('counts tokens with the model tokenizer', async () => {
    const m = await scenarioModel('short');
    const c = client();
    await c.load(local(m.path));
    const one = await c.countTokens('hello');
    const many = await c.countTokens('hello '.repeat(50));
    assert.equal(one.estimated, false);
    assert.ok(one.tokens >= 1 && many.tokens > one.tokens * 10, `${one.tokens} vs ${many.tokens}`);
  });

  it('a model without a chat template loads with the R1 format and a visible warning', async () => {
    const m = await scenarioModel('no-template');
    const c = client();
    const status = await c.load(local(m.path));
    assert.equal(status.engine?.chatFormat, 'DeepSeekChatWrapper');
    assert.match(status.warnings.join('\n'), /no chat template.*DeepSeek-R1/);
  });
});

