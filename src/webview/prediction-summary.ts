/** The stats line's part about token prediction: what was predicted, what the model accepted, the estimated speed-up. */
import type { PredictionStats } from '../core/protocol/engine';

const SOURCE: Readonly<Record<PredictionStats['mode'], string>> = {
  lookup: 'prompt lookup',
  draft: 'draft model',
  'lookup+draft': 'prompt lookup + draft model',
};

/** Said when the chat's draft was paused: drafting measured slower than decoding without it (tried again later). */
const PAUSED = 'draft paused: slower than without it';

/**
 * e.g. "prompt lookup: 120 predicted, 96 accepted · 1.8× faster (timed)": the turn's decoding timed against the model's
 * plain steps, or "≈1.8× faster (est.)" from the counts when too little of the turn was timed.
 */
export function predictionSummary(p: PredictionStats): string {
  const counts = `${SOURCE[p.mode]}: ${p.predicted} predicted, ${p.accepted} accepted`;
  if (p.predicted === 0) return `${counts} (${p.draftPaused ? PAUSED : p.mode === 'lookup' ? 'nothing to copy' : 'nothing predicted'})`;
  const paused = p.draftPaused ? ` · ${PAUSED}` : '';
  const timed = p.measuredSpeedup !== undefined;
  const x = p.measuredSpeedup ?? p.estimatedSpeedup;
  return `${counts}${paused} · ${timed ? '' : '≈'}${x.toFixed(1)}× ${x >= 1 ? 'faster' : 'speed'} (${timed ? 'timed' : 'est.'})`;
}
