/**
 * Token prediction per turn: which predictor a request gets, this turn's counters (node-llama-cpp's are cumulative
 * over the sequence's life, so a turn reports differences), and per chat the DraftGate that pauses a losing draft.
 */
import type { LlamaContextSequence } from 'node-llama-cpp';
import type { PredictionRequest, PredictionStats } from '../core/protocol/engine';
import { DraftGate } from '../core/speculation/draft-gate';
import { estimateSpeedup } from '../core/speculation/tuning';
import type { PredictionMode, SwitchingTokenPredictor } from './token-predictor';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Chats whose draft verdicts are remembered (the oldest is forgotten first). */
const MAX_CHATS = 64;

interface DraftInfo {
  readonly costRatio: number;
  generatedTokens(): number;
}

export class PredictionTurn {
  private readonly gates = new Map<string, DraftGate>();

  /** Sets the predictor's mode for this turn and snapshots the counters. */
  begin(chatId: string, request: PredictionRequest | undefined, predictor: SwitchingTokenPredictor, sequence: LlamaContextSequence, draft: DraftInfo | undefined): ActiveTurn {
    const lookup = request?.promptLookup === true;
    const drafting = request?.draft === true && draft !== undefined;
    const mode: PredictionMode = lookup && drafting ? 'lookup+draft' : lookup ? 'lookup' : drafting ? 'draft' : 'off';
    const gate = drafting ? this.gate(chatId) : undefined;
    predictor.setMode(mode, gate, draft?.costRatio ?? 0);
    return new ActiveTurn(mode, sequence, predictor, drafting ? draft : undefined, gate);
  }

  /** The chat's gate (created on first use; the Map's order is recency, the oldest chats are forgotten). */
  private gate(chatId: string): DraftGate {
    const gate = this.gates.get(chatId) ?? new DraftGate();
    this.gates.delete(chatId);
    this.gates.set(chatId, gate);
    for (const old of this.gates.keys()) {
      if (this.gates.size <= MAX_CHATS) break;
      this.gates.delete(old);
    }
    return gate;
  }
}

export class ActiveTurn {
  private readonly validated0: number;
  private readonly refuted0: number;
  private readonly draftPredicted0: number;
  private readonly draftGenerated0: number;
  private readonly costRatio: number;

  constructor(
    readonly mode: PredictionMode,
    private readonly sequence: LlamaContextSequence,
    private readonly predictor: SwitchingTokenPredictor,
    private readonly draft: DraftInfo | undefined,
    private readonly gate: DraftGate | undefined,
  ) {
    this.costRatio = draft?.costRatio ?? 0;
    this.draftGenerated0 = draft?.generatedTokens() ?? 0;
    const tp = sequence.tokenPredictions;
    this.validated0 = tp.validated;
    this.refuted0 = tp.refuted;
    this.draftPredicted0 = predictor.draftTally.predicted;
  }

  /** Predicted tokens checked so far in this turn. */
  checkedSoFar(): number {
    const tp = this.sequence.tokenPredictions;
    return tp.validated - this.validated0 + (tp.refuted - this.refuted0);
  }

  /** This turn's numbers (undefined when nothing was predicted by design); records the draft's verdict. */
  end(generated: number, log: Log): PredictionStats | undefined {
    if (this.mode === 'off') return undefined;
    this.predictor.settle();
    const tp = this.sequence.tokenPredictions;
    const accepted = tp.validated - this.validated0;
    const predicted = accepted + (tp.refuted - this.refuted0);
    const proposed = this.predictor.draftTally.predicted - this.draftPredicted0;
    // What the draft cost: every token it generated, also those run ahead and thrown away after a refusal.
    const drafted = Math.max(proposed, (this.draft?.generatedTokens() ?? 0) - this.draftGenerated0);
    const checkCost = this.predictor.stepCost.extraTokenCost();
    for (const p of this.gate?.takePauses() ?? []) {
      const accepted = `${Math.round((p.accepted / Math.max(1, p.predicted)) * 100)}%`;
      const why = p.speed !== undefined
        ? `with the draft model it decoded at ${p.speed.toFixed(2)}× the speed without it (${accepted} of ${Math.round(p.predicted)} drafted tokens accepted)`
        : `the draft model's tokens were accepted ${accepted} of the time over ${Math.round(p.predicted)} tokens, below the ${Math.round((p.needed ?? 1) * 100)}% it needs to pay off`;
      log('info', `Drafting paused for this chat: ${why}; it is tried again after ${p.retryAfter} tokens.`);
    }
    const estimatedSpeedup = estimateSpeedup({ generated, predicted, accepted, drafted }, this.costRatio, checkCost);
    const measuredSpeedup = this.predictor.turnSpeedup();
    const paused = this.gate !== undefined && !this.gate.drafting;
    return { mode: this.mode, predicted, accepted, estimatedSpeedup, ...(measuredSpeedup !== undefined ? { measuredSpeedup } : {}), ...(paused ? { draftPaused: true } : {}) };
  }
}
