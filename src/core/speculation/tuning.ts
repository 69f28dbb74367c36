/**
 * Speculative decoding, pure part: the tuning constants (one place, tuned by bench/), the estimated speed-up shown
 * per turn, and the break-even a draft model must reach (draft-gate.ts pauses one that does not).
 */
import type { PredictionRequest } from '../protocol/engine';

/**
 * Most predicted tokens handed to the model per decode step. Stock node-llama-cpp 3.21.1 (and 3.22.1) accepts only the
 * first of them (its `_speculativeEvaluate` checks the rest against an array it never fills); patches/ fixes that, so
 * a step can accept them all. Set this to 1 if the pin moves to an unpatched version.
 */
export const PREDICTIONS_PER_STEP = 16;

/**
 * Prompt lookup (node-llama-cpp InputLookupTokenPredictor): find the longest run (≥ 2 tokens; max 0 = no limit) of the
 * last generated tokens in the prompt… (1 would predict after every common token of free text, mostly wrongly)
 */
export const LOOKUP_PATTERN = { min: 2, max: 0 } as const;
/**
 * …and propose the prompt tokens that followed the match. How many of them the model checks per step is decided per
 * step from the measured cost of checking (step-cost.ts: LookupLength), at most PREDICTIONS_PER_STEP.
 */
export const LOOKUP_PREDICTION = { min: 1, max: PREDICTIONS_PER_STEP } as const;

/**
 * Draft model (DraftSequenceTokenPredictor): the target waits for at least this many drafted tokens before its next
 * step (0 = never wait: then a draft not much faster than the target never gets ahead of it and predicts nothing;
 * on a 2-core CPU the two also share the cores)…
 */
export const DRAFT_MIN_TOKENS = 4;
/**
 * …and runs on in the background up to this many while the target checks: no further, because on 2 cores a draft
 * running ahead takes the target's CPU (7B + 1.5B draft at 70 % through the worker: 0.43× with 8, 0.96× with 4).
 */
export const DRAFT_MAX_TOKENS = 4;
/** …and a draft stops at the first token the draft model is less sure of than this (llama.cpp's p-min default). */
export const DRAFT_MIN_CONFIDENCE = 0.6;

/** How one turn's predictions went. `predicted` = tokens proposed and checked, `accepted` = those the model agreed with. */
export interface PredictionCounts {
  readonly generated: number;
  readonly predicted: number;
  readonly accepted: number;
  /** Tokens the draft model itself decoded for this turn (0 for prompt lookup, which costs nothing to predict). */
  readonly drafted: number;
}

/**
 * Estimated speed-up over plain decoding: every accepted token saves one decode step of the target; each checked
 * prediction adds `checkCost` of a step (measured on this machine: StepCostMeter); each drafted token costs
 * `draftCostRatio` steps (draft size ÷ target size). An estimate from counters, not a measurement: the stats line
 * labels it so.
 */
export function estimateSpeedup(c: PredictionCounts, draftCostRatio: number, checkCost: number): number {
  if (c.generated <= 0) return 1;
  const steps = Math.max(1, c.generated - c.accepted) + checkCost * c.predicted + draftCostRatio * c.drafted;
  return Math.round((c.generated / steps) * 100) / 100;
}

/**
 * The acceptance rate below which drafting costs more than it saves: an accepted token saves one step, a drafted
 * token costs `draftCostRatio` steps and its check `checkCost`.
 */
export function breakEvenAcceptance(draftCostRatio: number, checkCost: number): number {
  return Math.min(1, checkCost + draftCostRatio);
}

/** A prompt with code the answer may copy: a fenced block (attached files, selections and editor tasks all fence code). */
export function hasCodeContext(prompt: string): boolean {
  return /^[ \t]*(```|~~~)/m.test(prompt);
}

/**
 * What a request may predict with under `ponder.speculative`: prompt lookup for editor tasks (`promptLookup` given by
 * the caller) or, for chat turns, when the prompt carries code; the draft model whenever one is loaded.
 */
export function predictionRequest(setting: 'auto' | 'off', prompt: string, promptLookup?: boolean): PredictionRequest | undefined {
  if (setting === 'off') return undefined;
  return { promptLookup: promptLookup ?? hasCodeContext(prompt), draft: true };
}
