// Figures of issue 12 (verify after Apply, repair): one row each, like bench/lib/figures.mjs.
import { round } from './util.mjs';

export function verifyFigures(apply, kv) {
  const rows = [];
  if (apply) {
    const beyond = apply.medianMs - apply.quietMs;
    rows.push({ id: '12a', figure: 'Apply → verification line (TS service warm); minus the quiet period', model: '—', value: round(beyond, 1),
      display: `${apply.medianMs.toFixed(0)} ms median (${apply.samples.length} Applies) = quiet period ${apply.quietMs} ms + ${beyond.toFixed(0)} ms`,
      baseline: `verifier's write → outcome ${Math.round(apply.samples.map((s) => s.checkMs ?? NaN).sort((a, b) => a - b)[Math.floor(apply.samples.length / 2)])} ms; lines: ${[...new Set(apply.samples.map((s) => s.state))].join(', ')}`,
      target: '≤ 1500 ms + quiet period', met: beyond <= 1500 });
  }
  if (kv) {
    const m = kv.median;
    rows.push({ id: '12b', figure: 'Repair turn (same chat, local engine): evaluated ÷ prompt tokens', model: kv.label, value: round(kv.ratio, 4),
      display: `${m.evaluated} / ${m.prompt2} = ${kv.ratio.toFixed(3)} (reused ${m.reused})`, baseline: `edit turn prompt ${m.prompt1} tokens; × ${kv.runs.length}`,
      target: 'info', met: null });
  }
  return rows;
}
