// Figure rows of the speculative-decoding sections (issue 13), each next to the speed-up bound that the measured
// batch cost implies on this machine.
import { round } from './util.mjs';

const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));

function row(id, figure, model, value, display, baseline, target, met, extra = {}) {
  return { id, figure, model, value: round(value, 4), display, baseline, target, met, ...extra };
}

/** t(k) in ms from a batch result, or NaN. */
const cost = (b, k) => b?.perK.find((p) => p.k === k)?.ms ?? NaN;

/**
 * Upper bound of the speed-up of speculative decoding with per-token acceptance `a`, `k` predicted tokens per step,
 * target batch costs `bt` and a draft's one-token cost `draftMs` (0 for prompt lookup): expected tokens per step
 * E = (1 − a^(k+1)) / (1 − a) over the step's cost t(k+1) + k·draft, in units of t(1). Stock node-llama-cpp
 * validates at most one prediction per batch, so its E is capped at 2 (k = 1 is then the best it can do).
 */
export function speedupBound(bt, { a = 1, k = 1, draftMs = 0, stock = false }) {
  const e = a >= 1 ? k + 1 : (1 - a ** (k + 1)) / (1 - a);
  return (Math.min(e, stock ? 2 : Infinity) * cost(bt, 1)) / (cost(bt, k + 1) + k * draftMs);
}

export function specBatchFigures(batch) {
  return Object.entries(batch).map(([shape, b]) => {
    const ks = [2, 4, 8, 16];
    const best = [...Array(15).keys()].map((i) => i + 1).map((k) => ({ k, x: speedupBound(b, { k }) })).sort((p, q) => q.x - p.x)[0];
    return row('13', 'Cost of a k-token batch ÷ 1 token (logits at every position) → speed-up bound', `${shape === 'r1-7b' ? 'R1-7B' : 'R1-1.5B'}-shape Q4_K_M`, cost(b, 2) / cost(b, 1),
      `t(1) = ${f1(cost(b, 1))} ms; ${ks.map((k) => `t(${k}) ${f2(cost(b, k) / cost(b, 1))}×`).join(', ')}; bound with every prediction right: ` +
      `stock node-llama-cpp (≤ 1 accepted per batch) 2·t(1)/t(2) = ${f2(speedupBound(b, { k: 1, stock: true }))}×, fixed ${f2(best.x)}× at k = ${best.k}`,
      `depth ${b.depth}, ${b.threads} threads, × ${b.perK[0].reps.length} interleaved; load ${b.load.map((x) => x.toFixed(1)).join('/')}`, 'reported', null);
  });
}

function variantText(v, key) {
  return `${f2(v[key])}× (${f1(v[key === 'answerRatio' ? 'answerTps' : key === 'thoughtRatio' ? 'thoughtTps' : 'tps'])} tok/s; validated ${v.validated}, refuted ${v.refuted}${v.sameAsPlain && v.scripted ? '' : '; OUTPUT DIFFERS'})`;
}

export function specLookupFigures(l, batch) {
  const b = batch?.['r1-1.5b'];
  const rows = [];
  for (const [kind, res] of [['stock', l.stock], ['patched', l.patched]]) {
    if (!res) continue;
    const v = res.variants.lookup;
    const p = res.variants.plain;
    const s = l.settings[kind];
    const k = s.prediction.max;
    const who = kind === 'stock' ? 'node-llama-cpp 3.21.1' : 'node-llama-cpp + validation fix';
    const bound = b ? `; bound (all right) ${f2(speedupBound(b, { k, stock: kind === 'stock' }))}×` : '';
    const ok = v.sameAsPlain && v.scripted;
    rows.push(row('13', `Prompt lookup, edit answer (60-line function, 3 lines changed), ${who}: answer tok/s ÷ without prediction`,
      'R1-1.5B-shape Q4_K_M', v.answerRatio, variantText(v, 'answerRatio') + bound,
      `same run without prediction: ${f1(p.answerTps)} tok/s; ${v.answerTokens} answer tokens, prompt ${res.promptTokens}; pattern ≥ ${s.pattern.min}, predict ≤ ${k}; × ${v.perRep.length}; load ${res.load.map((x) => x.toFixed(1)).join('/')}`,
      '≥ 1.8×', ok && v.answerRatio >= 1.8));
    rows.push(row('13', `Prompt lookup, free text (the prose thought, nothing to copy), ${who}: tok/s ÷ without prediction`,
      'R1-1.5B-shape Q4_K_M', v.thoughtRatio, variantText(v, 'thoughtRatio'),
      `same run without prediction: ${f1(p.thoughtTps)} tok/s; ${v.thoughtTokens} thought tokens`, '≥ 0.97×', ok && v.thoughtRatio >= 0.97));
  }
  return rows;
}

export function specDraftFigures(d, batch) {
  const bt = batch?.['r1-7b'];
  const bd = batch?.['r1-1.5b'];
  const rows = [];
  for (const [kind, res] of [['stock', d.stock], ['patched', d.patched]]) {
    if (!res) continue;
    const s = d.settings[kind];
    const who = kind === 'stock' ? 'node-llama-cpp 3.21.1' : 'node-llama-cpp + validation fix';
    for (const [name, v] of Object.entries(res.variants)) {
      if (name === 'plain') continue;
      const a = Number(name.slice(1)) / 100;
      const bound = bt && bd ? `; bound ${f2(speedupBound(bt, { a, k: s.maxTokens, draftMs: cost(bd, 1), stock: kind === 'stock' }))}×` : '';
      const target = a === 0.7 ? '≥ 1.5×' : a === 0 ? '≥ 0.9×' : 'reported';
      const ok = v.sameAsPlain && v.scripted;
      const met = a === 0.7 ? ok && v.ratio >= 1.5 : a === 0 ? ok && v.ratio >= 0.9 : null;
      rows.push(row('13', `Draft model, acceptance scripted at ${Math.round(a * 100)} %, ${who}: tok/s ÷ target alone`,
        'R1-7B-shape Q4_K_M + R1-1.5B-shape Q4_K_M draft', v.ratio, variantText(v, 'ratio') + bound,
        `target alone: ${f1(res.variants.plain.tps)} tok/s; ${v.thoughtTokens + v.answerTokens} tokens; draft ${s.maxTokens} token(s) per step; × ${v.perRep.length}; load ${res.load.map((x) => x.toFixed(1)).join('/')}`,
        target, met));
    }
  }
  return rows;
}
