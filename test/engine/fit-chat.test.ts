/**
 * Context fitting in the worker (engine/fitChat) through the real forked worker: a generated GGUF model's tokenizer
 * counts each exchange (the same counts engine/countTokens gives), core's fitting drops whole oldest exchanges, and
 * the panel's meter built from that answer says exactly those turns with a percentage over 100. A remote engine
 * (the scripted stand-in server, not a model) estimates and says so. No timings.
 */
import assert from 'node:assert/strict';
import { chatReserve, EXCHANGE_OVERHEAD, fitTurns } from '../../src/core/chat/fit-context';
import { meterFromFit } from '../../src/core/chat/meter';
import { estimateTokens } from '../../src/core/context/tokens';
import type { ChatExchange } from '../../src/core/protocol/engine';
import { describeMeter } from '../../src/webview/meter';
import { useClients } from '../support/engine';
import { scenarioModel } from '../support/models';
import { startScriptedServer } from '../support/scripted-server';

const exchange = (i: number, words: number): ChatExchange => ({ prompt: `Question ${i}: why does the loop never end?`, answer: `Because ${'the counter is reset every time '.repeat(words)}.` });

describe('fitting a chat into the context, in the worker (real node-llama-cpp, generated model)', function () {
  this.timeout(60_000);
  const client = useClients();

  it('counts each exchange with the model’s tokenizer, drops whole oldest ones, and the meter names exactly those', async () => {
    const m = await scenarioModel('short');
    const c = client();
    await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048 });
    const exchanges = [exchange(1, 20), exchange(2, 20), exchange(3, 20), exchange(4, 5)];
    const next = 'And what if the counter is a float?';

    const fit = await c.fitChat(exchanges, { text: next });
    const counted = await Promise.all(exchanges.map(async (e) => (await c.countTokens(`${e.prompt}\n${e.answer}`)).tokens + EXCHANGE_OVERHEAD));
    assert.deepEqual(fit.exchangeTokens, counted, 'the same counts as the tokenizer (engine/countTokens)');
    assert.equal(fit.nextTokens, (await c.countTokens(next)).tokens);
    assert.equal(fit.estimated, false);
    assert.equal(fit.contextSize, 2048);
    assert.equal(fit.reserve, chatReserve(2048));
    const expected = fitTurns(counted, fit.nextTokens, 2048).dropped;
    assert.equal(fit.dropped, expected);
    assert.ok(fit.dropped > 0 && fit.dropped < exchanges.length, `a partial drop (${fit.dropped} of ${exchanges.length}; counts ${counted.join(', ')})`);

    const meter = meterFromFit(fit, [1, 2, 3, 4]);
    const kept = counted.slice(fit.dropped).reduce((a, b) => a + b, 0) + fit.nextTokens;
    assert.ok(kept <= meter.budget, 'what is kept fits the room');
    const view = describeMeter(meter);
    assert.ok(view.percent > 100, view.text);
    const named = fit.dropped === 1 ? 'turn 1' : fit.dropped === 2 ? 'turns 1, 2' : `turns 1–${fit.dropped}`;
    assert.ok(view.text.endsWith(` · dropping ${named} to fit`), view.text);
  });

  it('the host’s policy decides the reserve: a smaller one keeps everything, and the meter stays at or under 100 %', async () => {
    const m = await scenarioModel('short');
    const c = client();
    await c.load({ kind: 'local', modelPath: m.path, threads: 1, contextSize: 2048 });
    const exchanges = [exchange(1, 20), exchange(2, 20)];
    const fit = await c.fitChat(exchanges, { tokens: 200 }, { reserveTokens: 256 });
    assert.equal(fit.reserve, 256);
    assert.equal(fit.nextTokens, 200);
    assert.equal(fit.dropped, 0);
    const view = describeMeter(meterFromFit(fit, [1, 2]));
    assert.ok(view.percent <= 100 && !/dropping/.test(view.text), view.text);
  });

  it('a remote engine estimates the counts (no tokenizer round trip per exchange) and says so', async () => {
    const server = await startScriptedServer();
    try {
      const c = client();
      await c.load({ kind: 'openai-compatible', baseUrl: server.baseUrl, model: '', timeoutMs: 5000 });
      const exchanges = [exchange(1, 10)];
      const fit = await c.fitChat(exchanges, { text: 'next' });
      assert.equal(fit.estimated, true);
      assert.deepEqual(fit.exchangeTokens, [estimateTokens(`${exchanges[0].prompt}\n${exchanges[0].answer}`) + EXCHANGE_OVERHEAD]);
      assert.equal(meterFromFit(fit, [1]).estimated, true);
    } finally {
      await server.stop();
    }
  });
});
