/**
 * Token prediction per turn: which predictor a request gets, this turn's counters (node-llama-cpp's are cumulative
 * over the sequence's life, so a turn reports differences), and per chat the verdict that turns a losing draft off.
 */
import type { LlamaContextSequence } from 'node-llama-cpp';
import type { PredictionRequest, PredictionStats } from '../core/protocol/engine';
import { draftingLoses, estimateSpeedup, breakEvenAcceptance } from '../core/speculation/tuning';
import type { PredictionMode, SwitchingTokenPredictor } from './token-predictor';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Chats whose drafting totals are remembered (the oldest is forgotten first). */
const MAX_CHATS = 64;

interface DraftInfo {
  readonly costRatio: number;
  generatedTokens(): number;
}

export class PredictionTurn {
  private readonly draftTotals = new Map<string, { predicted: number; accepted: number }>();
  private readonly draftOff = new Set<string>();

  /** Sets the predictor's mode for this turn and snapshots the counters. */
  begin(chatId: string, request: PredictionRequest | undefined, predictor: SwitchingTokenPredictor, sequence: LlamaContextSequence, draft: DraftInfo | undefined): ActiveTurn {
    const lookup = request?.promptLookup === true;
    const drafting = request?.draft === true && draft !== undefined && !this.draftOff.has(chatId);
    const mode: PredictionMode = lookup && drafting ? 'lookup+draft' : lookup ? 'lookup' : drafting ? 'draft' : 'off';
    predictor.setMode(mode);
    return new ActiveTurn(mode, chatId, sequence, predictor, drafting ? draft : undefined, this);
  }

  /** Adds a turn's draft counts to its chat; true when drafting just turned off for the chat. */
  recordDraft(chatId: string, predicted: number, accepted: number, costRatio: number, checkCost: number): boolean {
    const totals = this.draftTotals.get(chatId) ?? { predicted: 0, accepted: 0 };
    this.draftTotals.delete(chatId); // re-inserted last: the Map's order is recency
    totals.predicted += predicted;
    totals.accepted += accepted;
    this.draftTotals.set(chatId, totals);
    for (const old of this.draftTotals.keys()) {
      if (this.draftTotals.size <= MAX_CHATS) break;
      this.draftTotals.delete(old);
      this.draftOff.delete(old);
    }
    if (!draftingLoses(totals, costRatio, checkCost)) return false;
    this.draftOff.add(chatId);
    return true;
  }

  totals(chatId: string): { readonly predicted: number; readonly accepted: number } | undefined {
    return this.draftTotals.get(chatId);
  }
}

export class ActiveTurn {
  private readonly validated0: number;
  private readonly refuted0: number;
  private readonly draftPredicted0: number;
  private readonly draftAccepted0: number;
  private readonly draftGenerated0: number;
  private readonly costRatio: number;

  constructor(
    readonly mode: PredictionMode,
    private readonly chatId: string,
    private readonly sequence: LlamaContextSequence,
    private readonly predictor: SwitchingTokenPredictor,
    private readonly draft: DraftInfo | undefined,
    private readonly policy: PredictionTurn,
  ) {
    this.costRatio = draft?.costRatio ?? 0;
    this.draftGenerated0 = draft?.generatedTokens() ?? 0;
    const tp = sequence.tokenPredictions;
    this.validated0 = tp.validated;
    this.refuted0 = tp.refuted;
    this.draftPredicted0 = predictor.draftTally.predicted;
    this.draftAccepted0 = predictor.draftTally.accepted;
  }

  /** Predicted tokens checked so far in this turn. */
  checkedSoFar(): number {
    const tp = this.sequence.tokenPredictions;
    return tp.validated - this.validated0 + (tp.refuted - this.refuted0);
  }

  /** This turn's numbers (undefined when nothing was predicted by design); records the draft's verdict. */
  end(generated: number, log: Log): PredictionStats | undefined {
    if (this.mode === 'off') return undefined;
    const tp = this.sequence.tokenPredictions;
    const accepted = tp.validated - this.validated0;
    const predicted = accepted + (tp.refuted - this.refuted0);
    const proposed = this.predictor.draftTally.predicted - this.draftPredicted0;
    // What the draft cost: every token it generated, also those run ahead and thrown away after a refusal.
    const drafted = Math.max(proposed, (this.draft?.generatedTokens() ?? 0) - this.draftGenerated0);
    const draftAccepted = this.predictor.draftTally.accepted - this.draftAccepted0;
    const checkCost = this.predictor.stepCost.extraTokenCost();
    if (this.mode === 'draft' || this.mode === 'lookup+draft') {
      if (this.policy.recordDraft(this.chatId, proposed, draftAccepted, this.costRatio, checkCost)) {
        const t = this.policy.totals(this.chatId);
        const rate = t ? Math.round((t.accepted / Math.max(1, t.predicted)) * 100) : 0;
        log('info', `Drafting is off for this chat: the draft model's tokens were accepted ${rate}% of the time over ${t?.predicted ?? 0} tokens, below the ${Math.round(breakEvenAcceptance(this.costRatio, checkCost) * 100)}% it needs to pay off.`);
      }
    }
    const estimatedSpeedup = estimateSpeedup({ generated, predicted, accepted, drafted }, this.costRatio, checkCost);
    return { mode: this.mode, predicted, accepted, estimatedSpeedup };
  }
}
