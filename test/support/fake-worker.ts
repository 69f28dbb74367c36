/**
 * A stand-in engine worker (forked by the real EngineClient over its ChildChannel): answers every request with the
 * good or the malformed result of test/support/fake-results.ts, chosen by $PONDER_FAKE_RESULTS. No model.
 */
import { isEngineMethod, type WorkerToHost } from '../../src/core/protocol/engine';
import { isObject } from '../../src/core/protocol/validate';
import { ENGINE_RESULT_CASES, FAKE_RESULTS_ENV } from './fake-results';

const bad = process.env[FAKE_RESULTS_ENV] === 'bad';
const send = (m: WorkerToHost) => process.send?.(m);

process.on('message', (m: unknown) => {
  if (!isObject(m) || typeof m.type !== 'string' || typeof m.id !== 'number' || !isEngineMethod(m.type)) return;
  const c = ENGINE_RESULT_CASES[m.type];
  send({ type: 'engine/reply', id: m.id, ok: true, result: bad ? c.bad : c.good });
  if (m.type === 'engine/shutdown') setImmediate(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
