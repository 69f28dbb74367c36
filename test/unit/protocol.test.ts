import assert from 'node:assert/strict';
import { parseChatResult, parseHostMessage, parseWorkerMessage } from '../../src/core/protocol/engine';
import { isTurnVerification, parsePanelMessage } from '../../src/core/protocol/panel';

describe('engine protocol validation', () => {
  it('accepts a well-formed chat request and keeps only known fields', () => {
    const r = parseHostMessage({ type: 'engine/chat', id: 7, params: { chatId: 'c', turns: [{ role: 'user', text: 'hi', extra: 1 }], options: { maxThinkingTokens: 50 } } });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'engine/chat', id: 7, params: { chatId: 'c', turns: [{ role: 'user', text: 'hi' }], options: { maxThinkingTokens: 50, maxAnswerTokens: undefined, temperature: undefined, topP: undefined } } });
  });

  const bad: [string, unknown][] = [
    ['not an object', 'engine/chat'],
    ['no id', { type: 'engine/status' }],
    ['unknown type', { type: 'engine/rm-rf', id: 1 }],
    ['turns not an array', { type: 'engine/chat', id: 1, params: { chatId: 'c', turns: 'hi' } }],
    ['last turn not the user', { type: 'engine/chat', id: 1, params: { chatId: 'c', turns: [{ role: 'assistant', text: 'x' }] } }],
    ['a system role smuggled in', { type: 'engine/chat', id: 1, params: { chatId: 'c', turns: [{ role: 'system', text: 'x' }] } }],
    ['budget not a number', { type: 'engine/chat', id: 1, params: { chatId: 'c', turns: [{ role: 'user', text: 'x' }], options: { maxThinkingTokens: '9' } } }],
    ['load without a model path', { type: 'engine/load', id: 1, params: { engine: { kind: 'local' } } }],
    ['unknown engine kind', { type: 'engine/load', id: 1, params: { engine: { kind: 'ssh', modelPath: '/x' } } }],
  ];
  for (const [what, msg] of bad) {
    it(`rejects a host message with ${what}, saying why`, () => {
      const r = parseHostMessage(msg);
      assert.equal(r.ok, false);
      if (!r.ok) assert.ok(r.error.length > 5);
    });
  }

  it('rejects worker messages that are not part of the protocol', () => {
    assert.equal(parseWorkerMessage({ type: 'engine/chunk', id: 1, kind: 'thought', text: 'x' }).ok, false);
    assert.equal(parseWorkerMessage({ type: 'engine/reply', id: 1, ok: false, error: { code: 'NOPE', message: 'x' } }).ok, false);
    assert.equal(parseWorkerMessage({ type: 'engine/chunk', id: 1, kind: 'answer', text: 'x' }).ok, true);
  });

  it('rejects a chat result whose stats are incomplete', () => {
    const stats = { promptTokens: 1, evaluatedTokens: 1, reusedTokens: 0, thinkingTokens: 1, answerTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, durationMs: 1, contextTokens: 3, contextSize: 64 };
    const ok = { stopReason: 'done', reasoning: 'r', answer: 'a', thoughtCutShort: false, stats };
    assert.equal(parseChatResult(ok).ok, true);
    assert.equal(parseChatResult({ ...ok, stats: { ...stats, durationMs: 'slow' } }).ok, false);
    assert.equal(parseChatResult({ ...ok, stopReason: 'exploded' }).ok, false);
  });

  const remote = { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8080/v1', model: 'm' };
  it('accepts an OpenAI-compatible engine with headers and a timeout, and a per-request API key', () => {
    const r = parseHostMessage({ type: 'engine/load', id: 1, params: { engine: { ...remote, headers: { 'X-Team': 'a b' }, timeoutMs: 5000 }, apiKey: 'sk-123' } });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'engine/load', id: 1, params: { engine: { ...remote, contextSize: undefined, headers: { 'X-Team': 'a b' }, timeoutMs: 5000 }, idleUnloadMs: undefined, apiKey: 'sk-123' } });
    const chat = parseHostMessage({ type: 'engine/chat', id: 2, params: { chatId: 'c', turns: [{ role: 'user', text: 'x' }], apiKey: 'k' } });
    assert.ok(chat.ok && chat.value.type === 'engine/chat' && chat.value.params.apiKey === 'k');
    const count = parseHostMessage({ type: 'engine/countTokens', id: 3, params: { text: 'x', apiKey: 'k' } });
    assert.ok(count.ok && count.value.type === 'engine/countTokens' && count.value.params.apiKey === 'k');
  });

  const badRemote: [string, unknown][] = [
    ['a non-http base URL', { engine: { ...remote, baseUrl: 'file:///etc/passwd' } }],
    ['credentials in the base URL', { engine: { ...remote, baseUrl: 'http://u:p@h/v1' } }],
    ['a header value with a line break (header injection)', { engine: { ...remote, headers: { 'X-A': 'a\r\nX-B: b' } } }],
    ['a header name that is not a token', { engine: { ...remote, headers: { 'X A': 'b' } } }],
    ['a header Ponder sets itself', { engine: { ...remote, headers: { Host: 'evil' } } }],
    ['a negative timeout', { engine: { ...remote, timeoutMs: -1 } }],
    ['an API key with a line break', { engine: remote, apiKey: 'k\nX-Evil: 1' }],
    ['an API key that is not a string', { engine: remote, apiKey: 42 }],
  ];
  for (const [what, params] of badRemote) {
    it(`rejects an engine/load with ${what}`, () => {
      const r = parseHostMessage({ type: 'engine/load', id: 1, params });
      assert.equal(r.ok, false);
    });
  }

  it('accepts the remote error codes and the estimated token-count status', () => {
    assert.equal(parseWorkerMessage({ type: 'engine/reply', id: 1, ok: false, error: { code: 'REMOTE_RATE_LIMITED', message: 'x' } }).ok, true);
    const st = parseWorkerMessage({ type: 'engine/status-changed', status: { state: 'ready', warnings: [], engine: { kind: 'openai-compatible', name: 'm', contextSize: 1, chatFormat: 'x', loadMs: 1, tokenCounts: 'estimated' } } });
    assert.ok(st.ok && st.value.type === 'engine/status-changed' && st.value.status.engine?.tokenCounts === 'estimated');
    assert.equal(parseWorkerMessage({ type: 'engine/status-changed', status: { state: 'ready', warnings: [], engine: { kind: 'openai-compatible', name: 'm', contextSize: 1, chatFormat: 'x', loadMs: 1, tokenCounts: 'maybe' } } }).ok, false);
  });
});

describe('panel protocol validation', () => {
  it('accepts the webview’s messages and rejects malformed ones', () => {
    assert.deepEqual(parsePanelMessage({ type: 'panel/send', text: 'why?', sendId: 3 }), { ok: true, value: { type: 'panel/send', text: 'why?', sendId: 3 } });
    assert.equal(parsePanelMessage({ type: 'panel/send', text: 'why?' }).ok, false, 'a send without an id could not be answered');
    assert.equal(parsePanelMessage({ type: 'panel/send', text: '   ', sendId: 1 }).ok, false);
    assert.equal(parsePanelMessage({ type: 'panel/send', text: 'x'.repeat(200_000), sendId: 1 }).ok, false);
    assert.equal(parsePanelMessage({ type: 'panel/eval', code: 'alert(1)' }).ok, false);
    assert.deepEqual(parsePanelMessage({ type: 'panel/heartbeat', extra: 1 }), { ok: true, value: { type: 'panel/heartbeat' } });
    assert.deepEqual(parsePanelMessage({ type: 'panel/pong', seq: 4 }), { ok: true, value: { type: 'panel/pong', seq: 4 } });
    assert.equal(parsePanelMessage({ type: 'panel/pong', seq: '4' }).ok, false);
    assert.equal(parsePanelMessage(null).ok, false);
  });
});

describe('panel protocol: verification lines', () => {
  it('accepts a verification button press and refuses unknown actions or ids', () => {
    assert.deepEqual(parsePanelMessage({ type: 'panel/verificationAction', verificationId: 'v1', action: 'repair' }), { ok: true, value: { type: 'panel/verificationAction', verificationId: 'v1', action: 'repair' } });
    assert.equal(parsePanelMessage({ type: 'panel/verificationAction', verificationId: 'v1', action: 'rm -rf' }).ok, false);
    assert.equal(parsePanelMessage({ type: 'panel/verificationAction', action: 'undo' }).ok, false);
  });

  it('stored verification lines are re-validated', () => {
    assert.equal(isTurnVerification({ id: 'a', state: 'fixed', text: '✓ Fixed', actions: [] }), true);
    assert.equal(isTurnVerification({ id: 'a', state: 'pwned', text: 'x', actions: [] }), false);
    assert.equal(isTurnVerification({ id: 'a', state: 'failed', text: 'x', actions: ['eval'] }), false);
  });
});
