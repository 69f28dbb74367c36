/**
 * The context meter says exactly what will be dropped, and its percentage agrees: built from one fit (the worker's
 * engine/fitChat; here a stand-in client that fits with core's fitChat and one token per character).
 */
import assert from 'node:assert/strict';
import { fitChat } from '../../../src/core/chat/fit-context';
import { meterFromFit } from '../../../src/core/chat/meter';
import type { ChatExchange, ChatTurn, FitPolicy, NextMessage } from '../../../src/core/protocol/engine';
import type { ContextMeter, HostToPanel } from '../../../src/core/protocol/panel';
import { describeMeter } from '../../../src/webview/meter';
import { ChatController } from '../../../src/extension/chat/chat-controller';
import type { EngineClient } from '../../../src/extension/engine/engine-client';

describe('the context meter: its words and its percentage come from the same fit', () => {
  const meter = (exchangeTokens: number[], nextTokens: number, contextSize: number) => meterFromFit(fitChat(exchangeTokens, nextTokens, contextSize, {}, false), exchangeTokens.map((_, i) => i + 1));

  it('over 100 % exactly when turns are dropped, at most 100 % when everything fits', () => {
    for (const size of [512, 2048, 8192]) {
      for (let n = 100; n <= 2000; n += 37) {
        const m = meter([n, n, n], 200, size);
        const view = describeMeter(m);
        assert.equal(view.percent > 100, m.willDrop.length > 0, `${size}/${n}: ${view.text}`);
        assert.equal(/dropping/.test(view.text), m.willDrop.length > 0, view.text);
      }
    }
  });

  it('the issue’s case: a chat that drops turns 1 and 2 no longer shows about half full', () => {
    // 2,048-token model: 1,024 stay free for the reply; three exchanges of 400 and a 200-token message need 1,400.
    const m = meter([400, 400, 400], 200, 2048);
    assert.deepEqual(m, { used: 1400, budget: 1024, size: 2048, willDrop: [1] });
    assert.equal(describeMeter(m).text, 'Context 1,400 / 1,024 tokens (137%) · dropping turn 1 to fit');
    const two = meter([300, 400, 500], 200, 2048);
    assert.equal(describeMeter(two).text, 'Context 1,400 / 1,024 tokens (137%) · dropping turns 1, 2 to fit');
  });

  it('just over the room reads 101 %, never a rounded 100 % next to "dropping"', () => {
    const view = describeMeter(meter([1000], 25, 2048));
    assert.equal(view.percent, 101);
    assert.match(view.text, /\(101%\) · dropping turn 1 to fit/);
  });

  it('says the counts are estimates for a remote engine, and what the budget is', () => {
    const m = meterFromFit(fitChat([100], 200, 8192, {}, true), [1]);
    const view = describeMeter(m);
    assert.equal(view.text, 'Context ~300 / 4,096 tokens (7%)');
    assert.match(view.title, /may use 4,096 of the model's 8,192 tokens; 4,096 stay free .* estimates/);
  });

  it('long runs of dropped turns read as ranges', () => {
    const view = describeMeter({ used: 9000, budget: 4096, size: 8192, willDrop: [1, 2, 3, 4, 7] });
    assert.match(view.text, /dropping turns 1–4, 7 to fit/);
  });
});

/** A stand-in engine: one token per character, fitting with core's fitChat; records the history of each chat. */
function fakeEngine(contextSize: number) {
  const sent: ChatTurn[][] = [];
  let n = 0;
  const client = {
    fitChat: async (exchanges: readonly ChatExchange[], next: NextMessage, policy: FitPolicy = {}) =>
      fitChat(exchanges.map((e) => e.prompt.length + 1 + e.answer.length + 8), 'text' in next ? next.text.length : next.tokens, contextSize, policy, false),
    chat: (_id: string, turns: readonly ChatTurn[], _options: unknown, callbacks: { onChunk?: (kind: 'answer', text: string) => void }) => {
      sent.push([...turns]);
      const answer = `answer ${++n} `.padEnd(300, 'x');
      callbacks.onChunk?.('answer', answer);
      const stats = { promptTokens: 1, evaluatedTokens: 1, reusedTokens: 0, thinkingTokens: 1, answerTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, durationMs: 1, contextTokens: 1, contextSize };
      return { result: Promise.resolve({ stopReason: 'done' as const, reasoning: '', answer, thoughtCutShort: false, stats }), endThinking: () => undefined };
    },
  };
  // The controller needs only these two methods of the client.
  return { client: client as unknown as EngineClient, sent };
}

describe('the chat drops exactly the turns its meter announced', () => {
  it('after each reply the meter names the turns a ~200-token message would push out; sending one drops those', async () => {
    const { client, sent } = fakeEngine(2048);
    const meters: ContextMeter[] = [];
    const chat = new ChatController({ engine: async () => client, post: (m: HostToPanel) => m.type === 'panel/meter' && meters.push(m.meter), maxThinkingTokens: () => undefined, onError: assert.fail });
    const prompt = (i: number) => `question ${i} `.padEnd(200, '?'); // the meter's typical next message: 200 tokens
    let announced: readonly number[] | undefined;
    for (let i = 1; i <= 5; i++) {
      await chat.send(prompt(i));
      const history = sent[sent.length - 1];
      const sentTurns = history.filter((t) => t.role === 'user').map((t) => Number(/question (\d+)/.exec(t.text)?.[1]));
      if (announced) {
        const expected = Array.from({ length: i }, (_, k) => k + 1).filter((t) => !announced?.includes(t));
        assert.deepEqual(sentTurns, expected, `turn ${i}: the meter said turns ${announced.join(', ') || 'none'} would be dropped`);
      }
      const m = chat.meter;
      assert.ok(m);
      assert.equal(describeMeter(m).percent > 100, m.willDrop.length > 0, describeMeter(m).text);
      announced = m.willDrop;
    }
    assert.ok(announced && announced.length > 0, 'the chat grew past the context, so something was dropped');
  });
});
