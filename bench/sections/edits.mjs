// Figure 6a: applyModelEdit (src/core/edits, built into dist/core.js) on a 10,000-line file, per answer format,
// against the floor of any edit: an exact search-and-replace of the changed function (String.indexOf + slice).
import { createRequire } from 'node:module';
import path from 'node:path';
import { editCases } from '../lib/big-file.mjs';
import { median, repoRoot, round } from '../lib/util.mjs';

const require = createRequire(import.meta.url);

function timeIt(fn, reps) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function editsBench({ reps }) {
  const { applyModelEdit } = require(path.join(repoRoot, 'dist', 'core.js'));
  const { original, expected, oldText, newText, cases } = editCases();
  const exact = () => {
    const at = original.indexOf(oldText);
    return original.slice(0, at) + newText + original.slice(at + oldText.length);
  };
  if (exact() !== expected) throw new Error('edits: baseline replace is wrong');
  timeIt(exact, 5);
  const baseline = median(timeIt(exact, reps));
  const results = [];
  for (const c of cases) {
    const run = () => applyModelEdit(original, c.response, c.options);
    const first = run();
    const correct = first.ok && first.text === expected;
    timeIt(run, 3); // warm the JIT
    const times = timeIt(run, reps);
    results.push({
      id: c.id,
      what: c.what,
      ms: median(times),
      maxMs: Math.max(...times),
      ok: first.ok,
      correct,
      format: first.ok ? first.format : undefined,
      reason: first.ok ? undefined : first.reason,
      perRep: times.map((x) => round(x, 2)),
    });
  }
  return { lines: original.split('\n').length - 1, bytes: Buffer.byteLength(original), baselineMs: baseline, cases: results };
}
