/**
 * The one token predictor of the engine's one context sequence (node-llama-cpp fixes it when the sequence is made,
 * and the sequence lives as long as the model for KV reuse): per turn it delegates to prompt lookup, to the draft
 * model, to both (lookup first), or to nothing — switching never recreates the sequence.
 *
 * A draft is judged after every proposal by the chat's DraftGate, which pauses one that loses and tries it again
 * later; while paused the draft model does not run (a turn that starts paused does not even bring it up to date
 * until it is tried again).
 *
 * It also times the sequence's decode steps (from one `predictTokens()` call to the next), so the cost of checking
 * predictions is known for this machine and model (StepCostMeter), and sets prompt lookup's length per step from it
 * and from how often matches of each length were right (LookupLength).
 */
import { DraftSequenceTokenPredictor, InputLookupTokenPredictor, TokenPredictor, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import type { DraftGate } from '../core/speculation/draft-gate';
import { LookupLength, StepCostMeter, TurnClock } from '../core/speculation/step-cost';
import { DRAFT_MAX_TOKENS, DRAFT_MIN_CONFIDENCE, DRAFT_MIN_TOKENS, LOOKUP_PATTERN, LOOKUP_PREDICTION, PREDICTIONS_PER_STEP } from '../core/speculation/tuning';

export type PredictionMode = 'off' | 'lookup' | 'draft' | 'lookup+draft';

type ResetParams = Parameters<TokenPredictor['reset']>[0];

/** node-llama-cpp 3.21.1's InputLookupTokenPredictor: the length of the prompt match its last prediction continues. */
interface LookupInternals {
  readonly _lastPredictionMatchLength?: number;
}

/** The draft's last proposal, until the next step settles it. */
interface Proposal {
  readonly proposed: number;
  /** Its tokens not yet confirmed or refuted by the tokens pushed since. */
  readonly pending: Token[];
  accepted: number;
}
/** No proposal open (frozen: only a real proposal is counted into). */
const NO_PROPOSAL: Proposal = Object.freeze({ proposed: 0, pending: [], accepted: 0 });

/** How often a pending draft wait is re-kicked (see awaitDraft). */
const DRAFT_KICK_MS = 10;

/** Draft tokens proposed and accepted, counted here because the sequence's counters cannot tell lookup from draft. */
export interface DraftTally {
  predicted: number;
  accepted: number;
}

export class SwitchingTokenPredictor extends TokenPredictor {
  private mode: PredictionMode = 'off';
  private readonly lookup = new InputLookupTokenPredictor({ patternLength: { ...LOOKUP_PATTERN }, predictionLength: { ...LOOKUP_PREDICTION } });
  private draft: DraftSequenceTokenPredictor | undefined;
  private draftProposal: Proposal = NO_PROPOSAL;
  /** The chat's verdict on its draft (undefined: always draft), and what a drafted token costs in target steps. */
  private gate: DraftGate | undefined;
  private draftCostRatio = 0;
  /** A turn that began with drafting paused did not reset the draft: what to reset it with when it is tried again. */
  private staleDraft: { params: ResetParams; pushed: Token[] } | undefined;
  readonly draftTally: DraftTally = { predicted: 0, accepted: 0 };
  /** Decode-step timings of this model on this machine (kept for the model's life: a window of recent steps). */
  readonly stepCost = new StepCostMeter();
  private readonly lookupLength = new LookupLength(PREDICTIONS_PER_STEP);
  /** The lookup's tokens handed to the sequence at the last step, and how many of them came back accepted so far. */
  private pendingLookup: Token[] = [];
  private lookupStep = { matchLength: 0, checked: 0, accepted: 0 };
  /**
   * The step under way, from one `predictTokens()` to the next: when it began (undefined: none to time), the tokens
   * pushed since, and — for a step without the draft, which the StepCostMeter times — how many predictions it checked.
   */
  private stepStartedAt: number | undefined;
  private tokensSinceStep = 0;
  private stepMetered = false;
  private stepChecked = 0;
  /** This turn's steps, all kinds, with the tokens each produced (the timed speed-up on the stats line). */
  private turnClock = new TurnClock();
  /** A step of this model was timed already (the predictor lives as long as the model's sequence). */
  private warm = false;

  /** Attaches the draft model's sequence (after the target is loaded), or detaches it. */
  setDraftSequence(sequence: LlamaContextSequence | undefined): void {
    this.draft?.dispose();
    this.draft = sequence
      ? new DraftSequenceTokenPredictor(sequence, { minTokens: DRAFT_MIN_TOKENS, maxTokens: DRAFT_MAX_TOKENS, minConfidence: DRAFT_MIN_CONFIDENCE, evaluateOptions: { temperature: 0 } })
      : undefined;
  }

  /** The draft predictor (the compatibility check at load time runs its reset). */
  get draftPredictor(): DraftSequenceTokenPredictor | undefined {
    return this.draft;
  }

  /**
   * Chooses the delegate for the next generation, and the chat's draft verdict (with what a drafted token costs).
   * Called between generations only (the sequence resets us before each).
   */
  setMode(mode: PredictionMode, gate?: DraftGate, draftCostRatio = 0): void {
    this.settle();
    if (!this.draft && (mode === 'draft' || mode === 'lookup+draft')) mode = mode === 'draft' ? 'off' : 'lookup';
    if (this.usesDraft && mode !== this.mode) this.draft?.stop();
    this.mode = mode;
    this.gate = gate;
    this.draftCostRatio = draftCostRatio;
    this.staleDraft = undefined;
    this.endSteps();
    this.turnClock = new TurnClock();
  }

  /** This turn's decoding speed ÷ the model's plain steps (undefined until enough of it was timed). */
  turnSpeedup(): number | undefined {
    return this.turnClock.speedup(this.stepCost.singleStepMs());
  }

  /** A generation ended: its last draft proposal is judged now (by the gate of the chat it belonged to). */
  settle(): void {
    this.closeDraftProposal();
  }

  /** True while the draft model is being asked (a draft mode, and the chat's gate not paused). */
  get draftsNow(): boolean {
    return this.usesDraft && (this.gate?.drafting ?? true);
  }

  get currentMode(): PredictionMode {
    return this.mode;
  }

  private get usesLookup(): boolean {
    return this.mode === 'lookup' || this.mode === 'lookup+draft';
  }

  private get usesDraft(): boolean {
    return this.draft !== undefined && (this.mode === 'draft' || this.mode === 'lookup+draft');
  }

  reset(params: ResetParams): Promise<void> | void {
    this.closeDraftProposal();
    this.endSteps();
    this.staleDraft = undefined;
    if (this.usesLookup) this.lookup.reset(params);
    if (!this.usesDraft) return;
    if (!this.draftsNow) {
      // Paused: bringing the draft up to date now would cost its prompt evaluation before the first token, for nothing.
      this.staleDraft = { params: { ...params, stateTokens: params.stateTokens.slice() }, pushed: [] };
      return;
    }
    return this.draft?.reset(params);
  }

  pushTokens(tokens: Token[]): void {
    this.tokensSinceStep += tokens.length;
    this.tallyDraft(tokens);
    this.tallyLookup(tokens);
    if (this.usesLookup) this.lookup.pushTokens(tokens);
    if (!this.usesDraft) return;
    if (!this.draftsNow) this.gate?.recordGenerated(tokens.length);
    if (this.staleDraft) this.staleDraft.pushed.push(...tokens);
    else this.draft?.pushTokens(tokens); // also while paused: a stopped draft only queues them
  }

  predictTokens(): Promise<Token[]> | Token[] {
    const now = performance.now();
    const step = this.endStep(now);
    this.closeDraftProposal(step);
    this.closeLookupStep();
    // The step meter times steps without a draft only (a draft step also waits for the draft model).
    if (step && this.stepMetered) this.stepCost.record(this.stepChecked, step.ms);
    this.stepStartedAt = now;
    this.tokensSinceStep = 0;
    this.stepMetered = false;
    if (this.mode === 'off') return this.beginStep([]);
    const fromLookup = this.usesLookup ? this.lookupTokens() : [];
    // Drafting waits until a few plain steps of this model were timed: the draft gate judges drafting by its speed
    // against them (a plain step costs nothing extra: it is what decoding without a draft does anyway).
    const draft = this.draftsNow && this.stepCost.singleStepMs() !== undefined ? this.draft : undefined;
    // A step is timed unless the draft model runs beside it (then it also waits for the draft).
    if (fromLookup.length > 0 || !draft) return draft ? fromLookup : this.beginStep(fromLookup);
    if (this.staleDraft) return this.refreshDraft(draft, this.staleDraft).then(() => this.askDraft(draft));
    return this.askDraft(draft);
  }

  /**
   * The step that ends at `now` (undefined: none was under way), counted into the turn's clock — unless it was the
   * first decode of a freshly loaded model, which is not a decode cost (1,555 ms against 212 on the 7B shape, 1,608
   * against 60 on the 1.5B): then neither the clock nor the step meter nor the draft gate counts it.
   */
  private endStep(now: number): { ms: number; tokens: number } | undefined {
    if (this.stepStartedAt === undefined) return undefined;
    const first = !this.warm;
    this.warm = true;
    if (first) return undefined;
    const step = { ms: now - this.stepStartedAt, tokens: this.tokensSinceStep };
    this.turnClock.record(step.ms, step.tokens);
    return step;
  }

  private askDraft(draft: DraftSequenceTokenPredictor): Promise<Token[]> | Token[] {
    const fromDraft = draft.predictTokens();
    return fromDraft instanceof Promise ? this.awaitDraft(draft, fromDraft).then((t) => this.proposeDraft(t)) : this.proposeDraft(fromDraft);
  }

  /** A draft tried again in a turn that began paused: reset it to the target's tokens now (the prompt + what followed). */
  private async refreshDraft(draft: DraftSequenceTokenPredictor, stale: { params: ResetParams; pushed: Token[] }): Promise<void> {
    this.staleDraft = undefined;
    await draft.reset({ ...stale.params, stateTokens: [...stale.params.stateTokens, ...stale.pushed] });
  }

  /**
   * Waits for the draft's first tokens. node-llama-cpp 3.21.1 can leave this promise pending forever: when a refuted
   * prediction stops the draft while its loop is still winding down, `predictTokens` finds it active, does not resume
   * it, and the loop then ends without calling the waiters. Asking again once that loop has ended resumes it, so the
   * wait is re-kicked every few milliseconds until the tokens come (the kick is a no-op while the draft is running).
   */
  private async awaitDraft(draft: DraftSequenceTokenPredictor, pending: Promise<Token[]>): Promise<Token[]> {
    let settled = false;
    const result = pending.finally(() => (settled = true));
    while (!settled) {
      await Promise.race([result, new Promise((r) => setTimeout(r, DRAFT_KICK_MS))]);
      if (!settled) void draft.predictTokens();
    }
    return result;
  }

  override stop(untilPredictionsExhausted?: boolean): void {
    // stop(true): a prediction was refuted, the generation goes on; stop(): the generation ended (its last step is not
    // timed: what follows is the chat's end, not a decode).
    if (!untilPredictionsExhausted) this.endSteps();
    if (this.usesLookup) this.lookup.stop(untilPredictionsExhausted);
    if (this.usesDraft) this.draft?.stop(untilPredictionsExhausted);
  }

  /** Always kept current (it is just the prompt's tokens), so switching to lookup needs no extra step. */
  override updateInputTokens(tokens: Token[]): void {
    this.lookup.updateInputTokens(tokens);
  }

  override dispose(): void {
    this.lookup.dispose();
    this.draft?.dispose();
  }

  /**
   * The draft predictor hands out its live array (it keeps growing in the background): the sequence gets a copy, the
   * same one compared with what the target then generates.
   */
  private proposeDraft(tokens: readonly Token[]): Token[] {
    const pending = tokens.slice(0, PREDICTIONS_PER_STEP);
    this.draftProposal = { proposed: pending.length, pending, accepted: 0 };
    this.draftTally.predicted += pending.length;
    return pending.slice();
  }

  private tallyDraft(pushed: readonly Token[]): void {
    const p = this.draftProposal;
    if (p === NO_PROPOSAL) return;
    const accepted = confirmPredicted(p.pending, pushed);
    this.draftTally.accepted += accepted;
    p.accepted += accepted;
  }

  /**
   * The last proposal is settled: the gate judges it — with the time of its `step` when the next step closes it (the
   * proposal was made as that step began: it cost the wait for the draft plus the target's check), without when the
   * generation ended — and a draft that now loses stops running.
   */
  private closeDraftProposal(step?: { ms: number; tokens: number }): void {
    const p = this.draftProposal;
    this.draftProposal = NO_PROPOSAL;
    if (p === NO_PROPOSAL || !this.gate) return;
    const timing = step ? { ...step, singleStepMs: this.stepCost.singleStepMs() } : undefined;
    if (this.gate.recordProposal(p.proposed, p.accepted, this.draftCostRatio, this.stepCost.extraTokenCost(), timing)) this.draft?.stop();
  }

  /** A step without the draft: the step meter times it, with the predictions it checks. */
  private beginStep(predicted: Token[]): Token[] {
    this.stepMetered = true;
    this.stepChecked = predicted.length;
    return predicted;
  }

  /** No step to time until the next `predictTokens()` (a generation ended, was reset or changed mode). */
  private endSteps(): void {
    this.stepStartedAt = undefined;
    this.closeLookupStep();
  }

  private tallyLookup(pushed: readonly Token[]): void {
    this.lookupStep.accepted += confirmPredicted(this.pendingLookup, pushed);
  }

  /**
   * The looked-up tokens worth checking now: how many depends on how long the prompt match is (node-llama-cpp keeps it
   * in an internal field; pinned 3.21.1, see patches/README.md) and on what checking costs here.
   */
  private lookupTokens(): Token[] {
    const looked = this.lookup.predictTokens();
    if (looked.length === 0) return [];
    const matchLength = (this.lookup as unknown as LookupInternals)._lastPredictionMatchLength ?? LOOKUP_PATTERN.min;
    const n = this.lookupLength.next(matchLength, looked.length, this.stepCost.checkCost());
    this.pendingLookup = looked.slice(0, n);
    this.lookupStep = { matchLength, checked: n, accepted: 0 };
    return looked.slice(0, n);
  }

  /** The last lookup step's outcome: how often matches of its length were right. */
  private closeLookupStep(): void {
    const s = this.lookupStep;
    if (s.checked > 0) this.lookupLength.record(s.matchLength, s.checked, s.accepted);
    this.lookupStep = { matchLength: 0, checked: 0, accepted: 0 };
    this.pendingLookup = [];
  }
}

/**
 * Matches the tokens the sequence just generated against predictions still pending, in order: each match is an
 * accepted prediction (removed from `pending`); the first mismatch refutes the rest (`pending` emptied). Returns how
 * many were accepted.
 */
function confirmPredicted(pending: Token[], pushed: readonly Token[]): number {
  let accepted = 0;
  for (const t of pushed) {
    if (pending.length === 0) break;
    if (pending[0] !== t) {
      pending.length = 0;
      break;
    }
    pending.shift();
    accepted++;
  }
  return accepted;
}
