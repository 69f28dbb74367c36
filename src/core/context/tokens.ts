/** Token arithmetic for prompts: a fast estimate for packing decisions and the budget left for the prompt. */
import type { TaskKind } from './types';

/** Chat-template tokens around the user message (BOS, role markers, the `<think>` prefill). */
export const TEMPLATE_OVERHEAD = 64;

/**
 * A quick estimate (~3.2 characters per token for code with BPE vocabularies). Used to decide what fits; the host
 * then counts the finished prompt with the engine's tokenizer and re-packs if the estimate was off.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.2);
}

export interface BudgetInput {
  readonly contextSize: number;
  /** Tokens of the target block (the answer rewrites it, so it sizes the answer). */
  readonly targetTokens: number;
  /** The user's thinking budget; undefined = unlimited (a quarter of the context is kept for it). */
  readonly maxThinkingTokens?: number;
  readonly task: TaskKind;
}

/** Tokens the answer is expected to need: a rewrite of the block, tests (about twice the code), or prose. */
export function answerReserve(task: TaskKind, targetTokens: number): number {
  if (task === 'explain') return 512;
  if (task === 'tests') return Math.ceil(targetTokens * 2) + 256;
  return Math.ceil(targetTokens * 1.25) + 96;
}

/** Tokens the prompt may use: the context size minus what the reasoning and the answer need. */
export function promptBudget(input: BudgetInput): number {
  const thinking = input.maxThinkingTokens ?? Math.max(256, Math.floor(input.contextSize * 0.25));
  const reserve = Math.min(thinking, Math.floor(input.contextSize * 0.5)) + answerReserve(input.task, input.targetTokens);
  return Math.max(0, input.contextSize - reserve - TEMPLATE_OVERHEAD);
}
