/**
 * What checking predicted tokens costs on *this* machine, measured while the engine runs, and how many of prompt
 * lookup's tokens are worth checking at each step. Why measured, not a constant: a decode step on a CPU mostly reads
 * the weights, and how much more a step costs with n extra tokens depends on the CPU. Measured with the 1.5B-shaped
 * Q4_K_M at depth 512 (bench/, figure 13): a step with 4 extra tokens cost 1.6× a one-token step on an Intel Xeon
 * (AMX) but 3.1× on a 2-core AMD Zen 4, where the fixed lookup length that gave 1.9× on the Xeon gave 1.2× and lost
 * 5–7 % on free text — and a constant made the stats line's estimate wrong by that much.
 *
 * A "step" is one decode call of the target as node-llama-cpp's sequence runs it: the next token plus the `checked`
 * predicted tokens, from one `predictTokens()` to the next (so it also includes handing each token to the chat).
 */

/** How many recent steps of each kind are kept (a window: the cost grows with the context's depth). */
const WINDOW = 64;
/** Steps of a kind needed before their cost is trusted. */
const MIN_SAMPLES = 4;

/**
 * A step that checks n predicted tokens costs (1 + fixed + perToken·n) one-token steps: `fixed` for going from a
 * one-token step to a batch at all (the weights' matrix-vector path vs the matrix-matrix one, logits at every
 * position), `perToken` for each token in it.
 */
export interface CheckCost {
  readonly fixed: number;
  readonly perToken: number;
}

/** Before anything was measured: a middle between the machines measured (Xeon ≈ 0.3 + 0.1n, Zen 4 ≈ 0.4 + 0.4n). */
export const DEFAULT_CHECK_COST: CheckCost = { fixed: 0.2, perToken: 0.2 };

const median = (xs: readonly number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function push<T>(ring: T[], x: T): void {
  ring.push(x);
  if (ring.length > WINDOW) ring.shift();
}

/** Recent decode-step timings: one-token steps, and steps that checked predictions (relative to a one-token step). */
export class StepCostMeter {
  private readonly single: number[] = [];
  /** n = tokens checked, extra = the step's cost ÷ a one-token step − 1. */
  private readonly checking: { n: number; extra: number }[] = [];

  /** One step: `checked` predicted tokens evaluated with the next token, in `ms`. */
  record(checked: number, ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms) || !(checked >= 0)) return;
    const t1 = this.singleStepMs();
    if (checked === 0) {
      // A step far slower than the usual ones was interrupted (the editor busy, a GC, the machine loaded): not a cost.
      if (t1 === undefined || ms < 4 * t1) push(this.single, ms);
      return;
    }
    if (t1 === undefined || ms > t1 * (3 + 2 * checked)) return;
    push(this.checking, { n: checked, extra: Math.max(0, ms / t1 - 1) });
  }

  /**
   * Median time of a one-token step, once a few were seen. The median, because the first decode after loading a model
   * took 7× a step (1,555 vs 212 ms, 7B shape): it comes before there is a step to call it an interruption against.
   */
  singleStepMs(): number | undefined {
    return this.single.length >= MIN_SAMPLES ? median(this.single) : undefined;
  }

  /** What a checking step costs: measured (a line through the recent steps by their size) or the default. */
  checkCost(): CheckCost {
    return this.measuredCheckCost() ?? DEFAULT_CHECK_COST;
  }

  measuredCheckCost(): CheckCost | undefined {
    if (this.singleStepMs() === undefined || this.checking.length < MIN_SAMPLES) return undefined;
    // Least squares on the medians per size (robust to a disturbed step); one size only: all of it per token.
    const bySize = new Map<number, number[]>();
    for (const s of this.checking) bySize.set(s.n, [...(bySize.get(s.n) ?? []), s.extra]);
    const pts = [...bySize].map(([n, xs]) => ({ n, y: median(xs), w: xs.length }));
    const w = pts.reduce((a, p) => a + p.w, 0);
    const mn = pts.reduce((a, p) => a + p.w * p.n, 0) / w;
    const my = pts.reduce((a, p) => a + p.w * p.y, 0) / w;
    const sxx = pts.reduce((a, p) => a + p.w * (p.n - mn) ** 2, 0);
    if (pts.length < 2 || sxx < 1e-9) return { fixed: 0, perToken: clamp(my / mn, 0.02, 2) };
    const perToken = clamp(pts.reduce((a, p) => a + p.w * (p.n - mn) * (p.y - my), 0) / sxx, 0.02, 2);
    return { fixed: clamp(my - perToken * mn, 0, 2), perToken };
  }

  /** What each checked token cost on average over the recent checking steps, as a fraction of a one-token step. */
  extraTokenCost(): number {
    if (this.singleStepMs() === undefined || this.checking.length < MIN_SAMPLES) return DEFAULT_CHECK_COST.fixed / 4 + DEFAULT_CHECK_COST.perToken;
    const n = this.checking.reduce((a, s) => a + s.n, 0);
    return clamp(this.checking.reduce((a, s) => a + s.extra, 0) / n, 0.02, 2);
  }
}

/** Tokens a turn must have decoded in timed steps before its speed-up is reported as timed. */
const MIN_TIMED_TOKENS = 16;
/**
 * A step longer than this many one-token steps was not decoding (the editor busy, a GC): a step checking 16 looked-up
 * tokens and waiting for 4 drafted ones measured under 5 (bench/, figure 13).
 */
const INTERRUPTED_STEPS = 8;

/**
 * How fast one turn decoded against the model's plain one-token steps on this machine: every step of the turn — plain,
 * checking looked-up tokens, or waiting for the draft and checking its tokens — timed with the tokens it produced.
 * Unlike the estimate from the counts it sees what the counts cannot: a draft sharing the cores with the model, a
 * machine busier than when the check cost was measured. Steps are kept until the end, so interruptions are told apart
 * against the reference as it is then (a turn's first steps may come before there is one).
 */
export class TurnClock {
  private readonly steps: { ms: number; tokens: number }[] = [];

  /** One step: `tokens` produced in `ms`. */
  record(ms: number, tokens: number): void {
    if (ms > 0 && Number.isFinite(ms) && tokens >= 0) this.steps.push({ ms, tokens });
  }

  /** Tokens per ms of the turn ÷ those of plain steps taking `singleStepMs` each; undefined until enough was timed. */
  speedup(singleStepMs: number | undefined): number | undefined {
    if (singleStepMs === undefined) return undefined;
    let ms = 0;
    let tokens = 0;
    for (const s of this.steps) {
      if (s.ms > INTERRUPTED_STEPS * singleStepMs) continue;
      ms += s.ms;
      tokens += s.tokens;
    }
    if (tokens < MIN_TIMED_TOKENS || ms <= 0) return undefined;
    return Math.round(((tokens * singleStepMs) / ms) * 100) / 100;
  }
}

/**
 * How likely prompt lookup's next token is right, by how long the current match is: a 2-token match in prose is often
 * chance, a 10-token one means the answer is copying. Buckets of match length, with priors, learned from the checks.
 */
const BUCKET_STARTS = [0, 3, 4, 6, 10, 20] as const;
const PRIOR = [0.35, 0.5, 0.65, 0.8, 0.9, 0.95] as const;
const PRIOR_WEIGHT = 4;
/** Counts are halved past this many checks per bucket, so the estimate follows the current answer. */
const BUCKET_MEMORY = 64;

const bucketOf = (matchLength: number) => {
  let b = 0;
  while (b + 1 < BUCKET_STARTS.length && matchLength >= BUCKET_STARTS[b + 1]) b++;
  return b;
};

/**
 * Prompt lookup's length per step: the n that maximizes the expected steps saved, Σ P(first i right) (each right
 * token saves a step), minus the measured cost of checking n, fixed + perToken·n; none when no n pays. Where checks
 * are dear (the Zen 4: ≈ 0.4 + 0.4n) short chance matches in free text are not checked at all and a copied run is
 * checked 8–16 tokens at a time; where they are cheap, more is tried.
 */
export class LookupLength {
  private readonly right: number[] = BUCKET_STARTS.map(() => 0);
  private readonly seen: number[] = BUCKET_STARTS.map(() => 0);

  constructor(private readonly max: number) {}

  /** P(the next token is right | the match is `matchLength` tokens long). */
  acceptance(matchLength: number): number {
    const b = bucketOf(matchLength);
    return (this.right[b] + PRIOR[b] * PRIOR_WEIGHT) / (this.seen[b] + PRIOR_WEIGHT);
  }

  /** How many of the `available` looked-up tokens to check, for a match `matchLength` tokens long (0 = none). */
  next(matchLength: number, available: number, cost: CheckCost): number {
    let best = 0;
    let bestGain = 0;
    let allRight = 1;
    let saved = 0;
    for (let n = 1; n <= Math.min(this.max, available); n++) {
      allRight *= this.acceptance(matchLength + n - 1); // the n-th is right only if the ones before were (the match grows)
      saved += allRight;
      const gain = saved - (cost.fixed + cost.perToken * n);
      if (gain > bestGain) {
        best = n;
        bestGain = gain;
      }
    }
    return best;
  }

  /** A step checked `checked` tokens from a match `matchLength` long; the first `accepted` were right. */
  record(matchLength: number, checked: number, accepted: number): void {
    for (let i = 0; i < checked && i <= accepted; i++) {
      const b = bucketOf(matchLength + i);
      if (this.seen[b] >= BUCKET_MEMORY) {
        this.seen[b] /= 2;
        this.right[b] /= 2;
      }
      this.seen[b]++;
      if (i < accepted) this.right[b]++;
    }
  }
}
