import assert from 'node:assert/strict';
import { fitTurns } from '../../src/core/chat/fit-context';

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
