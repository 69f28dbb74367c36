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
 * E = (1 − a^(k+1)) / (1 − a) over the step's cost t(k+1) + k·draft, in units of t(1). `onePerBatch`: an unpatched
 * node-llama-cpp 3.21.1 accepts at most one prediction per batch, so E ≤ 2 (k = 1 is then the best it can do).
 */
export function speedupBound(bt, { a = 1, k = 1, draftMs = 0, onePerBatch = false }) {
  const e = a >= 1 ? k + 1 : (1 - a ** (k + 1)) / (1 - a);
  return (Math.min(e, onePerBatch ? 2 : Infinity) * cost(bt, 1)) / (cost(bt, k + 1) + k * draftMs);
}

export function specBatchFigures(batch) {
  return Object.entries(batch).map(([shape, b]) => {
    const ks = [2, 4, 8, 16];
    const best = [...Array(15).keys()].map((i) => i + 1).map((k) => ({ k, x: speedupBound(b, { k }) })).sort((p, q) => q.x - p.x)[0];
    return row('13', 'Cost of a k-token batch ÷ 1 token (logits at every position) → speed-up bound', `${shape === 'r1-7b' ? 'R1-7B' : 'R1-1.5B'}-shape Q4_K_M`, cost(b, 2) / cost(b, 1),
      `t(1) = ${f1(cost(b, 1))} ms; ${ks.map((k) => `t(${k}) ${f2(cost(b, k) / cost(b, 1))}×`).join(', ')}; bound if every prediction is right: ` +
      `(k+1)·t(1)/t(k+1) = ${f2(best.x)}× at k = ${best.k}, ${f2(speedupBound(b, { k: 4 }))}× at k = 4, ${f2(speedupBound(b, { k: 8 }))}× at k = 8; one accepted per batch (unpatched node-llama-cpp) 2·t(1)/t(2) = ${f2(speedupBound(b, { k: 1, onePerBatch: true }))}×`,
      `depth ${b.depth}, ${b.threads} threads, k = 1..16 × ${b.perK[0].reps.length} interleaved (medians; least-disturbed repetition: t(1) ${f1(b.perK[0].minMs)} ms, ${ks.map((k) => `t(${k}) ${f2(b.perK[k - 1].minRatio)}×`).join(', ')}); load ${b.load.map((x) => x.toFixed(1)).join('/')}`, 'reported', null);
  });
}

const loadText = (res) => `load ${res.load.map((x) => x.toFixed(1)).join('/')}`;

function variantText(v, key) {
  const tps = key === 'answerRatio' ? 'answerTps' : key === 'thoughtRatio' ? 'thoughtTps' : 'tps';
  return `${f2(v[key])}× (${f1(v[tps])} tok/s; validated ${v.validated}, refuted ${v.refuted}${v.sameAsPlain && v.scripted ? '' : '; OUTPUT DIFFERS'})`;
}

export function specLookupFigures(l, batch) {
  const b = batch?.['r1-1.5b'];
  const p = l.variants.plain;
  return l.configs.flatMap((c, i) => {
    const v = l.variants[c.name];
    const k = c.prediction.max;
    const m = l.measured?.[c.name];
    // The engine's cost model: with every token predicted right, each still costs c of a step to check, so ≤ 1/c.
    const bound = (b ? `; bound (all right) ${f2(speedupBound(b, { k: Math.min(k, 15) }))}×` : '') + (m?.checkCost ? `; the engine measured a one-token step at ${f1(m.singleStepMs)} ms and a step checking n tokens at 1 + ${f2(m.checkCost.fixed)} + ${f2(m.checkCost.perToken)}·n steps (so ≤ ${f2(1 / m.checkCost.perToken)}× however much is predicted); each checked token cost ${f2(m.extraTokenCost)} of a step on average` : '');
    const ok = v.sameAsPlain && v.scripted;
    const how = c.product ? `the engine's length per step from its measured check cost, ≤ ${k}` : `pattern ≥ ${c.pattern.min}, predict ≤ ${k}`;
    return [
      row('13', `Prompt lookup (${how}), edit answer (60-line function, 3 lines changed): answer tok/s ÷ without prediction`,
        'R1-1.5B-shape Q4_K_M', v.answerRatio, variantText(v, 'answerRatio') + bound,
        `same run without prediction: ${f1(p.answerTps)} tok/s; ${v.answerTokens} answer tokens, prompt ${l.promptTokens}; × ${v.perRep.length}; ${loadText(l)}`,
        i === 0 ? '≥ 1.8×' : 'info', i === 0 ? ok && v.answerRatio >= 1.8 : null),
      row('13', `Prompt lookup (${how}), free text (the prose thought, nothing to copy): tok/s ÷ without prediction`,
        'R1-1.5B-shape Q4_K_M', v.thoughtRatio, variantText(v, 'thoughtRatio'),
        `same run without prediction: ${f1(p.thoughtTps)} tok/s; ${v.thoughtTokens} thought tokens`, i === 0 ? '≥ 0.97×' : 'info', i === 0 ? ok && v.thoughtRatio >= 0.97 : null),
    ];
  });
}

export function specDraftFigures(d, batch) {
  const bt = batch?.['r1-7b'];
  const bd = batch?.['r1-1.5b'];
  return d.drafts.map(({ name, acceptance: a, config }) => {
    const v = d.variants[name];
    const c = d.configs.find((x) => x.name === config);
    const first = config === d.configs[0].name;
    const bound = bt && bd ? `; bound ${f2(speedupBound(bt, { a, k: c.maxTokens, draftMs: cost(bd, 1) }))}×` : '';
    const target = !first ? 'info' : a === 0.7 ? '≥ 1.5×' : a === 0 ? '≥ 0.9×' : 'reported';
    const ok = v.sameAsPlain && v.scripted;
    const met = !first ? null : a === 0.7 ? ok && v.ratio >= 1.5 : a === 0 ? ok && v.ratio >= 0.9 : null;
    return row('13', `Draft model, acceptance scripted at ${Math.round(a * 100)} % (draft ${c.maxTokens}/step): tok/s ÷ target alone`,
      'R1-7B-shape Q4_K_M + R1-1.5B-shape Q4_K_M draft', v.ratio, variantText(v, 'ratio') + bound,
      `target alone: ${f1(d.variants.plain.tps)} tok/s; ${v.thoughtTokens + v.answerTokens} tokens; × ${v.perRep.length}; ${loadText(d)}`,
      target, met);
  });
}

/** The timed speed-ups the stats line showed (sorted), where the engine timed the turn. */
const statsLineTimed = (preds) => (preds ?? []).map((p) => p?.measuredSpeedup).filter(Number.isFinite).sort((a, b) => a - b);

export function specWorkerFigures(w) {
  const rows = [];
  if (w.lookup) {
    const l = w.lookup;
    rows.push(row('13', 'Through Ponder\'s worker: prompt lookup (ponder.speculative auto ÷ off), edit answer tok/s at the controller', 'R1-1.5B-shape Q4_K_M', l.answerRatio,
      `${f2(l.answerRatio)}× (${f1(l.autoAnswerTps)} vs ${f1(l.offAnswerTps)} tok/s)${l.sameOutput ? '' : '; OUTPUT DIFFERS'}`,
      `same worker, speculative off, interleaved × ${l.perRep.off.length}; compare the in-process row above`, 'same gain as in process', null));
    const est = (l.prediction ?? []).map((p) => p?.estimatedSpeedup).filter(Number.isFinite).sort((a, b) => a - b);
    if (est.length) {
      const mid = est[(est.length - 1) >> 1];
      rows.push(row('13', 'Through Ponder\'s worker: the stats line\'s estimated speed-up ÷ the measured one (whole reply: thought + answer)', 'R1-1.5B-shape Q4_K_M', mid / l.ratio,
        `${f2(mid / l.ratio)} (estimate ${est.map(f2).join(', ')}× vs measured ${f2(l.ratio)}×: ${f1(l.autoTps)} vs ${f1(l.offTps)} tok/s)`,
        'the estimate uses the check cost the engine measured on this machine (before 2026-12-03: a constant 0.15 of a step)', 'close to 1', null));
    }
    const timed = statsLineTimed(l.prediction);
    if (timed.length) {
      const mid = timed[(timed.length - 1) >> 1];
      rows.push(row('13', 'Through Ponder\'s worker: the stats line\'s timed speed-up ÷ the measured one (whole reply: thought + answer)', 'R1-1.5B-shape Q4_K_M', mid / l.ratio,
        `${f2(mid / l.ratio)} (timed ${timed.map(f2).join(', ')}× vs measured ${f2(l.ratio)}×)`,
        'the engine times each turn\'s steps against its plain one-token steps (TurnClock, 2026-12-04); shown instead of the estimate when timed', 'close to 1', null));
    }
  }
  for (const d of w.drafts ?? (w.draft ? [{ acceptance: 0.7, ...w.draft }] : [])) {
    const pct = Math.round(d.acceptance * 100);
    const preds = (d.prediction ?? []).filter(Boolean);
    const paused = preds.filter((p) => p.draftPaused).length;
    const timed = statsLineTimed(preds);
    const counts = preds.length ? `; drafted/accepted per turn ${preds.map((p) => `${p.predicted}/${p.accepted}`).join(', ')}; paused in ${paused} of ${preds.length} turns` +
      `; stats line: est. ${preds.map((p) => f2(p.estimatedSpeedup)).join(', ')}×${timed.length ? `, timed ${timed.map(f2).join(', ')}×` : ''}` : '';
    const target = pct === 70 ? '≥ 1.5×' : pct === 0 ? '≥ 0.9×' : 'reported';
    const met = pct === 70 ? d.sameOutput && d.ratio >= 1.5 : pct === 0 ? d.sameOutput && d.ratio >= 0.9 : null;
    rows.push(row('13', `Through Ponder's worker: draft at ${pct} % with the draft gate (auto ÷ off), tok/s`, 'R1-7B-shape Q4_K_M + R1-1.5B-shape Q4_K_M draft', d.ratio,
      `${f2(d.ratio)}× (${f1(d.autoTps)} vs ${f1(d.offTps)} tok/s, worker's stats)${d.sameOutput ? '' : '; OUTPUT DIFFERS'}${counts}`,
      `same worker and models, speculative off, interleaved × ${d.perRep.off.length}; ${d.maxTokens ?? 64} tokens per turn`, target, met));
  }
  return rows;
}

/** llama.cpp's own speculative decoding (spec-llama) on the same files: the reference no implementation beats here. */
export function specLlamaFigures(s, batch) {
  const bt = batch?.['r1-7b'];
  const bd = batch?.['r1-1.5b'];
  return s.drafts.map((d) => {
    const pct = Math.round(d.acceptance * 100);
    const bound = bt && bd ? `; bound ${f2(speedupBound(bt, { a: d.acceptance, k: s.k, draftMs: cost(bd, 1) }))}×` : '';
    const counts = d.drafted.map((x, i) => `${x}/${d.accepted[i]}`).join(', ');
    return row('13', `llama.cpp's own speculative decoding (llama-speculative-simple, k = ${s.k}), draft at ${pct} %: tok/s ÷ llama-bench tg`,
      'R1-7B-shape Q4_K_M + R1-1.5B-shape Q4_K_M draft', d.ratio,
      `${f2(d.ratio)}× (${f2(d.tps)} vs ${f2(s.plainTps)} tok/s); drafted/accepted ${counts}${d.scripted ? '' : '; OUTPUT NOT THE SCRIPT'}${bound}`,
      `llama-bench tg${s.n} at depth 40, same file, ${s.threads} threads, between the runs (${s.plain.map(f2).join(' / ')} tok/s); the example's own rate also counts the draft's prompt`,
      'reference', null);
  });
}
