/**
 * When a chat's draft model drafts: it is judged after every proposal, not at the end of a turn, and a draft that
 * loses is paused, then tried again later. Why not "off for the chat after 96 tokens": a draft that never agrees cost
 * 0.52× of plain decoding for a whole 7B answer on 2 cores (bench/, figure 13), and R1's thought is prose where a small
 * distill agrees less than on the code of the answer after it — so a draft that loses in the thought gets another
 * chance later in the same turn.
 *
 * Judged by time where it can be: tokens per ms while drafting against the model's plain one-token steps, measured on
 * this machine. The acceptance model (break-even = draft cost + check cost) is the fallback before plain steps were
 * timed — it does not separate well: on a 2-core Xeon a 7B + 1.5B pair at 70 % agreement had 46 % of its drafted
 * tokens accepted, above the 40–47 % break-even, yet decoded at 0.82× (the draft shares the cores with the target).
 */
import { breakEvenAcceptance } from './tuning';

/** No verdict on fewer drafted tokens than this (four proposals of four). */
export const DRAFT_FIRST_VERDICT_TOKENS = 16;
/** From this many drafted tokens in a window on, a verdict needs less certainty (a slow stretch of a few proposals does not). */
const DRAFT_JUDGE_AFTER_TOKENS = 96;
/**
 * How sure a verdict must be: the acceptance's one-sided upper bound is below break-even, at z = 2 (≈ 98 %) on few
 * tokens, z = 1 (≈ 84 %) from DRAFT_JUDGE_AFTER_TOKENS on (a draft near break-even gains or loses little either way;
 * one clearly above it must not be paused by a bad stretch: a pause costs the next 128 tokens' drafts).
 */
const Z_EARLY = 2;
const Z_LATE = 1;
/**
 * Measured speed (drafting ÷ plain) below which drafting pauses: before DRAFT_JUDGE_AFTER_TOKENS drafted tokens only a
 * clear loss (a few proposals' timings are noisy), then any loss.
 */
const SPEED_EARLY = 0.9;
const SPEED_LATE = 1;
/** A paused draft is tried again after this many generated tokens, twice as many after each further loss… */
export const DRAFT_RETRY_AFTER_TOKENS = 128;
/** …up to this many. */
const MAX_PAUSE_TOKENS = 4096;

/** The upper end of the Wilson score interval for `accepted` out of `predicted`. */
export function acceptanceUpperBound(accepted: number, predicted: number, z: number): number {
  if (predicted <= 0) return 1;
  const p = accepted / predicted;
  const z2n = (z * z) / predicted;
  const centre = p + z2n / 2;
  const spread = z * Math.sqrt((p * (1 - p)) / predicted + z2n / (4 * predicted));
  return Math.min(1, (centre + spread) / (1 + z2n));
}

/** True when drafting over these tokens loses: even the optimistic bound on its acceptance is below break-even. */
export function draftingLoses(totals: { readonly predicted: number; readonly accepted: number }, draftCostRatio: number, checkCost: number): boolean {
  if (totals.predicted < DRAFT_FIRST_VERDICT_TOKENS) return false;
  const z = totals.predicted >= DRAFT_JUDGE_AFTER_TOKENS ? Z_LATE : Z_EARLY;
  return acceptanceUpperBound(totals.accepted, totals.predicted, z) < breakEvenAcceptance(draftCostRatio, checkCost);
}

/** What one proposal cost, when it could be timed: from handing out the draft to the next step, and the tokens it gave. */
export interface ProposalTiming {
  readonly ms: number;
  /** Tokens the target produced in that time (the accepted drafts and its own next token). */
  readonly tokens: number;
  /** The model's plain one-token step on this machine (undefined: not measured yet). */
  readonly singleStepMs: number | undefined;
}

/** Why drafting was paused, for the log. */
export interface DraftPause {
  readonly predicted: number;
  readonly accepted: number;
  /** The acceptance it needed, 0..1 (the fallback verdict's; undefined when the verdict was timed). */
  readonly needed?: number;
  /** Measured speed while drafting ÷ plain decoding (the timed verdict's). */
  readonly speed?: number;
  /** Generated tokens until it is tried again. */
  readonly retryAfter: number;
}

interface Window {
  predicted: number;
  accepted: number;
  /** Timed proposals only: how many, their time and the tokens they gave. */
  timed: number;
  ms: number;
  tokens: number;
}

const EMPTY: Readonly<Window> = { predicted: 0, accepted: 0, timed: 0, ms: 0, tokens: 0 };
/**
 * Timed proposals needed before the speed is trusted (as many as the first verdict's proposals of four); half as many
 * when a paused draft is tried again (it lost once already: its retry costs two proposals, not four).
 */
const MIN_TIMED = DRAFT_FIRST_VERDICT_TOKENS / 4;

/** One chat's drafting: the current window of proposals, and the pause after a loss. */
export class DraftGate {
  private window: Window = { ...EMPTY };
  private singleStepMs: number | undefined;
  private pausedFor = 0;
  private nextPause = DRAFT_RETRY_AFTER_TOKENS;
  /** Tried again after a pause, not yet shown to pay: judged on half the evidence. */
  private retrying = false;
  private readonly pauses: DraftPause[] = [];

  /** False while paused: the next tokens are generated without drafts. */
  get drafting(): boolean {
    return this.pausedFor <= 0;
  }

  /** Measured speed while drafting ÷ plain decoding over the current window (undefined: not enough timed). */
  measuredSpeed(): number | undefined {
    const w = this.window;
    if (this.singleStepMs === undefined || w.timed < (this.retrying ? MIN_TIMED / 2 : MIN_TIMED) || !(w.ms > 0)) return undefined;
    return (w.tokens / w.ms) * this.singleStepMs;
  }

  /**
   * One proposal's outcome: `predicted` drafted tokens checked, the first `accepted` right, and (when timed) what it
   * cost. True when drafting pauses now.
   */
  recordProposal(predicted: number, accepted: number, draftCostRatio: number, checkCost: number, timing?: ProposalTiming): boolean {
    if (!this.drafting || (predicted <= 0 && !timing)) return false; // a draft that proposed nothing still took its time
    const w = this.window;
    w.predicted += predicted;
    w.accepted += Math.min(accepted, predicted);
    if (timing && timing.ms > 0 && timing.tokens > 0) {
      w.timed++;
      w.ms += timing.ms;
      w.tokens += timing.tokens;
    }
    if (timing?.singleStepMs !== undefined) this.singleStepMs = timing.singleStepMs;
    const speed = this.measuredSpeed();
    const loses = speed !== undefined
      ? w.predicted >= DRAFT_FIRST_VERDICT_TOKENS / (this.retrying ? 2 : 1) && speed < (w.predicted >= DRAFT_JUDGE_AFTER_TOKENS ? SPEED_LATE : SPEED_EARLY)
      : draftingLoses(w, draftCostRatio, checkCost);
    if (loses) {
      const why = speed !== undefined ? { speed } : { needed: breakEvenAcceptance(draftCostRatio, checkCost) };
      this.pauses.push({ predicted: w.predicted, accepted: w.accepted, ...why, retryAfter: this.nextPause });
      this.pausedFor = this.nextPause;
      this.nextPause = Math.min(MAX_PAUSE_TOKENS, this.nextPause * 2);
      this.retrying = true;
      this.window = { ...EMPTY };
      return true;
    }
    if (w.predicted >= DRAFT_JUDGE_AFTER_TOKENS) this.retrying = false; // judged on full evidence from here
    if (w.predicted >= 2 * DRAFT_JUDGE_AFTER_TOKENS) {
      // A full window that pays: forgive earlier losses, and let the window follow the current text.
      this.nextPause = DRAFT_RETRY_AFTER_TOKENS;
      this.window = { predicted: w.predicted / 2, accepted: w.accepted / 2, timed: w.timed / 2, ms: w.ms / 2, tokens: w.tokens / 2 };
    }
    return false;
  }

  /** Tokens generated while paused count down to the retry. */
  recordGenerated(tokens: number): void {
    if (this.pausedFor > 0 && tokens > 0) this.pausedFor -= tokens;
  }

  /** The pauses since the last call (for the log). */
  takePauses(): DraftPause[] {
    return this.pauses.splice(0);
  }
}
