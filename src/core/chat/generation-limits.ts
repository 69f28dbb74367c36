/** The per-request ceiling on generated tokens (`ponder.maxGeneratedTokens`), split into the engine's two budgets. */
import type { GenerationOptions } from '../protocol/engine';

/**
 * Thinking budget + answer cap = `ceiling` (the engines stop at their sum), so a reply that loops — in its thought
 * or in its answer — ends at the ceiling. The thinking budget (the user's, if lower) leaves at least a quarter of
 * the ceiling, at most 1,024 tokens, for the answer. No ceiling (0 / undefined): only the user's thinking budget.
 */
export function generationLimits(ceiling: number | undefined, thinkingBudget: number | undefined): Pick<GenerationOptions, 'maxThinkingTokens' | 'maxAnswerTokens'> {
  if (!ceiling || ceiling <= 0) return { maxThinkingTokens: thinkingBudget };
  const answerFloor = Math.max(1, Math.min(1024, Math.floor(ceiling / 4)));
  const thinking = Math.max(0, Math.min(thinkingBudget ?? Number.POSITIVE_INFINITY, ceiling - answerFloor));
  return { maxThinkingTokens: thinking, maxAnswerTokens: ceiling - thinking };
}
