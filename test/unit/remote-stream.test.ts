/** Pure helpers of the remote engine: event-stream parsing, delta validation, reply assembly, HTTP error wording, stats. */
import assert from 'node:assert/strict';
import { parseStreamEvent } from '../../src/core/remote/chat-stream';
import { chatCompletionsUrl, displayServer, isLoopback, serverRoot } from '../../src/core/remote/endpoints';
import { describeHttpFailure, describeNetworkFailure, parseRetryAfter, serverMessage } from '../../src/core/remote/http-errors';
import { ReplyAssembler } from '../../src/core/remote/reply-assembler';
import { SseParser } from '../../src/core/remote/sse';
import { remoteStats } from '../../src/core/remote/stats';

describe('SSE parser', () => {
  it('joins data lines, dispatches on blank lines, ignores comments and other fields', () => {
    const p = new SseParser();
    const events = p.push(': keep-alive\nid: 1\ndata: {"a":1}\n\nevent: error\ndata: line1\ndata: line2\n\n');
    assert.deepEqual(events, [{ data: '{"a":1}' }, { event: 'error', data: 'line1\nline2' }]);
  });

  it('handles events and CRLF split anywhere across chunks', () => {
    const text = 'data: one\r\n\r\ndata:two\r\n\r\ndata: three\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))].map((e) => e.data);
      assert.deepEqual(got, ['one', 'two', 'three'], `cut at ${cut}`);
    }
  });

  it('drops an unterminated last event (the stream was cut)', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('data: whole\n\ndata: half'), [{ data: 'whole' }]);
    assert.deepEqual(p.end(), []);
  });
});

describe('stream events', () => {
  it('reads reasoning_content, reasoning, content, finish_reason, usage and llama-server timings', () => {
    const e = parseStreamEvent(JSON.stringify({
      id: 'chatcmpl-1', choices: [{ delta: { reasoning_content: 'hmm', content: null }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 3 }, prompt_tokens_details: { cached_tokens: 4 } },
      timings: { prompt_n: 6, cache_n: 4, predicted_n: 5, predicted_per_second: 99.5 },
    }));
    assert.deepEqual(e, {
      type: 'delta', id: 'chatcmpl-1', reasoning: 'hmm', content: '', finishReason: 'stop',
      usage: { promptTokens: 10, completionTokens: 5, reasoningTokens: 3, cachedTokens: 4 },
      timings: { promptN: 6, cacheN: 4, predictedN: 5, predictedPerSecond: 99.5 },
    });
    const vllm = parseStreamEvent('{"choices":[{"delta":{"reasoning":"r"}}]}');
    assert.ok(vllm.type === 'delta' && vllm.reasoning === 'r');
  });

  it('recognises [DONE], error events and malformed events', () => {
    assert.deepEqual(parseStreamEvent('[DONE]'), { type: 'done' });
    assert.deepEqual(parseStreamEvent('{"error":{"message":"boom","code":500}}'), { type: 'error', message: 'boom', status: 500 });
    assert.equal(parseStreamEvent('{"choices":[{"delta":{"content":'). type, 'malformed');
    assert.equal(parseStreamEvent('[1,2]').type, 'malformed');
    assert.equal(parseStreamEvent('{"choices":[{"delta":{"content":42}}]}').type, 'malformed');
    assert.equal(parseStreamEvent('{"choices":{}}').type, 'malformed');
  });
});

describe('reply assembler', () => {
  const run = (deltas: [string, string][]) => {
    const chunks: [string, string][] = [];
    const a = new ReplyAssembler((k, t) => chunks.push([k, t]));
    for (const [r, c] of deltas) a.push(r, c);
    a.flush();
    return { a, chunks };
  };

  it('field mode: reasoning from its field, the answer from content (leading whitespace dropped)', () => {
    const { a } = run([['\nThinking', ''], [' more.', ''], ['', '\n\nThe'], ['', ' answer.']]);
    assert.equal(a.reasoning, 'Thinking more.');
    assert.equal(a.answer, 'The answer.');
  });

  it('field mode: an inline copy of the thought in content (deepseek-legacy) is not shown twice', () => {
    const { a } = run([['Thought', ''], ['', '<think>Thought</think>'], ['', 'Answer']]);
    assert.equal(a.reasoning, 'Thought');
    assert.equal(a.answer, 'Answer');
  });

  it('inline mode: <think> tags in content, split across deltas', () => {
    const { a, chunks } = run([['', '<thi'], ['', 'nk>\nStep one.'], ['', ' Step two.</th'], ['', 'ink>\n\nDone.']]);
    assert.equal(a.reasoning, 'Step one. Step two.');
    assert.equal(a.answer, 'Done.');
    const firstAnswer = chunks.findIndex(([k]) => k === 'answer');
    assert.ok(chunks.slice(firstAnswer).every(([k]) => k === 'answer'));
  });

  it('inline mode: a closing-only thought (the template pre-filled <think>)', () => {
    const { a } = run([['', 'I think'], ['', ' so.</think>'], ['', 'Yes.']]);
    assert.deepEqual([a.reasoning, a.answer], ['I think so.', 'Yes.']);
  });

  it('after "answer now", content is the answer and further reasoning is not shown', () => {
    const chunks: [string, string][] = [];
    const a = new ReplyAssembler((k, t) => chunks.push([k, t]));
    a.push('Long thought', '');
    assert.equal(a.inThought, true);
    a.answerFromHere();
    a.push('more thought', '');
    a.push('', 'Answer.');
    a.flush();
    assert.deepEqual(chunks, [['reasoning', 'Long thought'], ['answer', 'Answer.']]);
    assert.equal(a.inThought, false);
  });
});

describe('HTTP failures', () => {
  const ctx = { server: 'http://h:1/v1', model: 'm', sentKey: true };
  it('Retry-After as seconds or as a date', () => {
    assert.equal(parseRetryAfter('3', 0), 3);
    assert.equal(parseRetryAfter(new Date(60_000).toUTCString(), 0), 60);
    assert.equal(parseRetryAfter(null, 0), undefined);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });

  it('names the problem and the fix for each status', () => {
    assert.equal(describeHttpFailure(401, '{"error":{"message":"bad key"}}', ctx).code, 'REMOTE_AUTH');
    assert.match(describeHttpFailure(401, '', ctx).message, /Set API Key/);
    assert.match(describeHttpFailure(401, '', { ...ctx, sentKey: false }).message, /No API key is set/);
    assert.match(describeHttpFailure(429, '', { ...ctx, retryAfterSeconds: 120 }).message, /wait 2 min/);
    assert.equal(describeHttpFailure(404, '', ctx).code, 'REMOTE_ERROR');
    assert.equal(describeHttpFailure(400, '{"error":{"message":"the request exceeds the available context size"}}', ctx).code, 'CONTEXT_FULL');
    assert.match(describeHttpFailure(503, 'down', ctx).message, /HTTP 503.*The server said: “down”/);
    assert.equal(describeNetworkFailure('ECONNREFUSED', '', 'http://h:1/v1').code, 'REMOTE_UNREACHABLE');
    assert.equal(serverMessage('{"detail":"Not Found"}'), 'Not Found');
  });
});

describe('endpoints', () => {
  it('derives chat, root and display URLs without credentials', () => {
    assert.equal(chatCompletionsUrl('http://h:8080/v1/'), 'http://h:8080/v1/chat/completions');
    assert.equal(serverRoot('http://h:8080/v1'), 'http://h:8080');
    assert.equal(displayServer('https://h/v1?x=1'), 'https://h/v1');
    assert.equal(isLoopback('http://127.0.0.1:1/v1'), true);
    assert.equal(isLoopback('http://gpu-box:1/v1'), false);
  });
});

describe('remote stats', () => {
  const base = { receivedAt: 0, firstAt: 100, endAt: 1100, earlierCompletionTokens: 0, estimatedPromptTokens: 50, contextSize: 4096 };
  it('prefers the server usage and timings', () => {
    const s = remoteStats({ ...base, reasoningDeltas: 7, answerDeltas: 3, usage: { promptTokens: 20, completionTokens: 10 }, timings: { promptN: 5, cacheN: 15 } });
    assert.deepEqual([s.promptTokens, s.evaluatedTokens, s.reusedTokens, s.thinkingTokens, s.answerTokens, s.tokensPerSecond, s.contextTokens], [20, 5, 15, 7, 3, 10, 30]);
  });
  it('falls back to counted deltas and the prompt estimate', () => {
    const s = remoteStats({ ...base, reasoningDeltas: 4, answerDeltas: 2 });
    assert.deepEqual([s.promptTokens, s.evaluatedTokens, s.reusedTokens, s.thinkingTokens, s.answerTokens, s.timeToFirstTokenMs], [50, 50, 0, 4, 2, 100]);
  });
});
