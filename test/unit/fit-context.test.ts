import assert from 'node:assert/strict';
import { fitTurns } from '../../src/core/chat/fit-context';
import { generationLimits } from '../../src/core/chat/generation-limits';

describe('fitting a chat into the context (whole oldest turns are dropped)', () => {
  it('keeps everything while it fits with room to think and answer', () => {
    assert.deepEqual(fitTurns([100, 200, 300], 50, 8192), { dropped: 0, used: 600 });
  });
  it('drops whole oldest turns until history + prompt leave half the context for the reply', () => {
    // 2048 context: 1024 reserved, 100 prompt → 924 for history.
    assert.deepEqual(fitTurns([500, 400, 300], 100, 2048), { dropped: 1, used: 700 });
    assert.deepEqual(fitTurns([500, 400, 600], 100, 2048), { dropped: 2, used: 600 });
  });
  it('drops everything when even the newest turn does not fit, never part of a turn', () => {
    assert.deepEqual(fitTurns([100, 2000], 100, 2048), { dropped: 2, used: 0 });
  });
});

describe('the generated-token ceiling (ponder.maxGeneratedTokens)', () => {
  it('splits the ceiling into a thinking budget and an answer cap that add up to it', () => {
    assert.deepEqual(generationLimits(8192, undefined), { maxThinkingTokens: 7168, maxAnswerTokens: 1024 });
    assert.deepEqual(generationLimits(400, undefined), { maxThinkingTokens: 300, maxAnswerTokens: 100 });
  });
  it('keeps a lower thinking budget and gives the rest of the ceiling to the answer', () => {
    assert.deepEqual(generationLimits(8192, 500), { maxThinkingTokens: 500, maxAnswerTokens: 7692 });
    assert.deepEqual(generationLimits(1000, 5000), { maxThinkingTokens: 750, maxAnswerTokens: 250 }, 'the ceiling wins over a larger budget');
  });
  it('no ceiling: only the thinking budget, no answer cap', () => {
    assert.deepEqual(generationLimits(0, 300), { maxThinkingTokens: 300 });
    assert.deepEqual(generationLimits(undefined, undefined), { maxThinkingTokens: undefined });
  });
});
