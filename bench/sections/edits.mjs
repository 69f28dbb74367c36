// Figure 6a: applyModelEdit (src/core/edits, built into dist/core.js) on a 10,000-line file, per answer format,
// against the floor of any edit: an exact search-and-replace of the changed function (String.indexOf + slice).
// With the parsers loaded (loadSyntax), every result is parsed and checked: "warm" = the original's syntax tree is
// cached (a second answer for the same file, or the host parsed it with prepareEdit while the model answered; only
// the result is re-parsed, incrementally); "uncached" = the original is parsed inside the call.
import { createRequire } from 'node:module';
import path from 'node:path';
import { editCases, BIG_PATH } from '../lib/big-file.mjs';
import { median, repoRoot, round } from '../lib/util.mjs';

const require = createRequire(import.meta.url);

function timeIt(fn, reps) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

export async function editsBench({ reps }) {
  const { applyModelEdit, loadSyntax, prepareEdit } = require(path.join(repoRoot, 'dist', 'core.js'));
  const { original, expected, oldText, newText, cases } = editCases();
  const exact = () => {
    const at = original.indexOf(oldText);
    return original.slice(0, at) + newText + original.slice(at + oldText.length);
  };
  if (exact() !== expected) throw new Error('edits: baseline replace is wrong');
  timeIt(exact, 5);
  const baseline = median(timeIt(exact, reps));

  // Parsers: loading (runtime + every grammar), then the first parse of the file in this process (cold: wasm code not
  // yet optimised) and later parses of texts not seen before (warm JIT, nothing cached), then a cache hit.
  let t0 = performance.now();
  await loadSyntax();
  const loadMs = performance.now() - t0;
  const variant = (i) => `${original}// variant ${i}\n`;
  t0 = performance.now();
  prepareEdit(variant(-1), { path: BIG_PATH });
  const parseColdMs = performance.now() - t0;
  const parseWarm = timeIt((i) => prepareEdit(variant(i), { path: BIG_PATH }), Math.min(reps, 10));
  const cacheHit = timeIt(() => prepareEdit(variant(0), { path: BIG_PATH }), reps);

  const results = [];
  for (const c of cases) {
    const run = () => applyModelEdit(original, c.response, c.options);
    const first = run();
    const correct = first.ok && first.text === expected;
    timeIt(run, 3); // warm the JIT
    const times = timeIt(run, reps);
    // A different original each time (a trailing comment line): nothing cached, the whole file is parsed in the call.
    const uncached = timeIt((i) => applyModelEdit(`${original}// uncached ${c.id} ${i}\n`, c.response, c.options), Math.min(reps, 10));
    results.push({
      id: c.id,
      what: c.what,
      ms: median(times),
      maxMs: Math.max(...times),
      uncachedMs: median(uncached),
      ok: first.ok,
      correct,
      format: first.ok ? first.format : undefined,
      confidence: first.ok ? first.confidence : undefined,
      warnings: first.ok ? first.warnings : undefined,
      reason: first.ok ? undefined : first.reason,
      perRep: times.map((x) => round(x, 2)),
      perRepUncached: uncached.map((x) => round(x, 2)),
    });
  }
  return {
    lines: original.split('\n').length - 1,
    bytes: Buffer.byteLength(original),
    baselineMs: baseline,
    syntax: { loadMs, parseColdMs, parseWarmMs: median(parseWarm), cacheHitMs: median(cacheHit) },
    cases: results,
  };
}
