/**
 * What checking predicted tokens costs on *this* machine, measured while the engine runs, and the prompt-lookup length
 * it implies. Why measured, not a constant: a decode step on a CPU mostly reads the weights, and how much more a step
 * costs with k extra tokens depends on the CPU. Measured with the 1.5B-shaped Q4_K_M at depth 512 (bench/, figure 13):
 * each extra token cost ≈ 0.1–0.25 of a step on an Intel Xeon (AMX) but ≈ 0.45–0.7 on a 2-core AMD Zen 4, where the
 * same fixed prompt-lookup length that gave 1.9× on the Xeon gave 1.2× — and a constant made the stats line's estimate
 * wrong by that much.
 *
 * A "step" is one decode call of the target as node-llama-cpp's sequence runs it: the next token plus the `checked`
 * predicted tokens, from one `predictTokens()` to the next (so it also includes handing each token to the chat).
 */

/** How many recent steps of each kind are kept (a window: the cost grows with the context's depth). */
const WINDOW = 48;
/** Steps of a kind needed before their median is trusted. */
const MIN_SAMPLES = 4;

/** Extra cost of one checked token when nothing was measured yet, as a fraction of a one-token step. */
export const DEFAULT_EXTRA_TOKEN_COST = 0.3;

const median = (xs: readonly number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

function push(ring: number[], x: number): void {
  ring.push(x);
  if (ring.length > WINDOW) ring.shift();
}

/** Recent decode-step timings: one-token steps and, for steps that checked predictions, the cost per checked token. */
export class StepCostMeter {
  private readonly single: number[] = [];
  private readonly perChecked: number[] = [];

  /** One step: `checked` predicted tokens evaluated with the next token, in `ms`. */
  record(checked: number, ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms) || checked < 0) return;
    if (checked === 0) {
      // A step far slower than the usual ones was interrupted (the editor busy, a GC, the machine loaded): not a cost.
      const t1 = this.singleStepMs();
      if (t1 === undefined || ms < 4 * t1) push(this.single, ms);
      return;
    }
    const t1 = this.singleStepMs();
    if (t1 === undefined || ms > t1 * (2 + 2 * checked)) return;
    push(this.perChecked, Math.max(0, ms - t1) / checked / t1);
  }

  /** Median time of a one-token step, once a few were seen. */
  singleStepMs(): number | undefined {
    return this.single.length >= MIN_SAMPLES ? median(this.single) : undefined;
  }

  /** Cost of each checked token as a fraction of a one-token step: measured when possible, else the default. */
  extraTokenCost(): number {
    return this.measuredExtraTokenCost() ?? DEFAULT_EXTRA_TOKEN_COST;
  }

  measuredExtraTokenCost(): number | undefined {
    if (this.singleStepMs() === undefined || this.perChecked.length < MIN_SAMPLES) return undefined;
    return Math.min(2, Math.max(0.02, median(this.perChecked)));
  }
}

/**
 * The longest prediction worth checking: the i-th predicted token is only right if all before it were, so with
 * per-token acceptance p it pays while p^i exceeds the cost c of checking it (a right token saves a whole step).
 * p is the acceptance seen inside copied runs; at least 1, so a new match is always tried.
 */
export function worthwhileLength(runAcceptance: number, extraCost: number, max: number): number {
  const p = Math.min(0.995, Math.max(0, runAcceptance));
  if (p <= extraCost || p <= 0) return 1;
  const n = Math.floor(Math.log(extraCost) / Math.log(p));
  return Math.max(1, Math.min(max, n));
}

/** Run acceptance assumed before a turn has shown any (copied code is usually copied on). */
const PRIOR_RUN_ACCEPTANCE = 0.9;
const PRIOR_WEIGHT = 8;

/**
 * Prompt lookup's length per step: start with one token, double after a step whose predictions were all accepted (a
 * copied run), back to one after a miss (the copy ended), never beyond what the measured cost makes worthwhile.
 * So a mistaken match in free text costs one checked token, and a long copied run is checked many tokens at a time.
 */
export class LookupLength {
  private cap = 1;
  /** Accepted / checked over the tokens checked after a fully accepted step (inside runs), this generation. */
  private runAccepted = 0;
  private runChecked = 0;
  private lastStepFull = false;

  constructor(private readonly max: number) {}

  /** A new generation. */
  reset(): void {
    this.cap = 1;
    this.runAccepted = 0;
    this.runChecked = 0;
    this.lastStepFull = false;
  }

  runAcceptance(): number {
    return (this.runAccepted + PRIOR_RUN_ACCEPTANCE * PRIOR_WEIGHT) / (this.runChecked + PRIOR_WEIGHT);
  }

  /** How many of the lookup's tokens to check now, given the cost of checking one (a fraction of a step). */
  next(extraCost: number): number {
    return Math.min(this.cap, worthwhileLength(this.runAcceptance(), extraCost, this.max));
  }

  /** The outcome of a step that checked `checked` predicted tokens, `accepted` of them right. */
  record(checked: number, accepted: number): void {
    if (checked <= 0) return;
    if (this.lastStepFull) {
      this.runChecked += checked;
      this.runAccepted += accepted;
    }
    this.lastStepFull = accepted >= checked;
    this.cap = this.lastStepFull ? Math.min(this.max, this.cap * 2) : 1;
  }
}
