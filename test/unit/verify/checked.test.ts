import assert from 'node:assert/strict';
import { checkState } from '../../../src/core/verify';

const t = { quietMs: 1000, timeBoxMs: 10_000 };

describe('verify: the checked rule', () => {
  it('an update after the write counts once updates stayed quiet for the quiet period', () => {
    assert.deepEqual(checkState({ wroteAt: 0, lastUpdateAt: 300, providerActive: false }, 800, t), { kind: 'wait', untilMs: 1300 });
    assert.deepEqual(checkState({ wroteAt: 0, lastUpdateAt: 300, providerActive: false }, 1300, t), { kind: 'checked', how: 'update' });
  });

  it('no update: checked after the quiet period only when a provider is known to be active for the language', () => {
    assert.deepEqual(checkState({ wroteAt: 0, providerActive: true }, 999, t), { kind: 'wait', untilMs: 1000 });
    assert.deepEqual(checkState({ wroteAt: 0, providerActive: true }, 1000, t), { kind: 'checked', how: 'quiet' });
  });

  it('no update and no known provider: never checked — "not verified" when the time box ends', () => {
    assert.deepEqual(checkState({ wroteAt: 0, providerActive: false }, 5000, t), { kind: 'wait', untilMs: 10_000 });
    assert.deepEqual(checkState({ wroteAt: 0, providerActive: false }, 10_000, t), { kind: 'notVerified', reason: 'noProvider' });
  });

  it('updates that never settle: the latest diagnostics count at the end of the time box', () => {
    assert.deepEqual(checkState({ wroteAt: 0, lastUpdateAt: 9_900, providerActive: true }, 10_000, t), { kind: 'checked', how: 'timeBox' });
  });

  it('the quiet period and the time box are independent (a quiet period longer than the box still waits for quiet)', () => {
    assert.deepEqual(checkState({ wroteAt: 0, providerActive: true }, 500, { quietMs: 3000, timeBoxMs: 1000 }), { kind: 'wait', untilMs: 3000 });
  });
});
