import assert from 'node:assert/strict';
import { ChatController } from '../../../src/extension/chat/chat-controller';
import type { EngineClient } from '../../../src/extension/engine/engine-client';

/** A ChatController whose model is "loaded" with a tokenizer of one token per character (or not loaded at all). */
function controller(contextSize: number, loaded: boolean): ChatController {
  const client = { countTokens: async (text: string) => ({ tokens: text.length, estimated: false }) } as unknown as EngineClient;
  return new ChatController({
    engine: async () => client,
    post: () => undefined,
    maxThinkingTokens: () => undefined,
    onError: () => undefined,
    contextSize: () => contextSize,
    loadedEngine: () => (loaded ? client : undefined),
  });
}

describe('a message that does not fit the context is refused before it is sent, with the numbers', () => {
  it('counts with the loaded model and refuses a prompt that leaves no room to reply', async () => {
    const r = await controller(2048, true).checkFits('x'.repeat(1800));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.error, /needs 1,864 tokens .* context holds 2,048, and 512 of them must stay free .* Remove a file chip/);
  });
  it('estimates (and says "about") when no model is loaded yet', async () => {
    const r = await controller(2048, false).checkFits('x'.repeat(8000));
    assert.ok(!r.ok && /needs about 2,564 tokens/.test(r.error), JSON.stringify(r));
  });
  it('lets a prompt through when it leaves the reply its room', async () => {
    assert.deepEqual(await controller(2048, true).checkFits('x'.repeat(1400)), { ok: true, value: undefined });
  });
});
