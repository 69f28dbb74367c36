/**
 * Fitting a chat into the model's context: which whole oldest exchanges to drop so the rest, the next message and
 * room to think and answer fit. Pure: the worker applies it with its tokenizer's counts (engine/fitChat).
 */
import type { ChatFit, FitPolicy } from '../protocol/engine-chat';

/** Tokens an exchange takes beyond its texts: role markers and separators of the chat template. */
export const EXCHANGE_OVERHEAD = 8;

/** Room kept for the reply by default: half the context, at most 4,096 tokens (a distill's thought plus answer). */
export function chatReserve(contextSize: number): number {
  return Math.min(Math.floor(contextSize / 2), 4096);
}

/** How many whole oldest turns to drop so the history, the new prompt and the reserve fit the context. */
export function fitTurns(turnTokens: readonly number[], promptTokens: number, contextSize: number, reserve = chatReserve(contextSize)): { dropped: number; used: number } {
  const budget = contextSize - reserve - promptTokens;
  let used = turnTokens.reduce((a, b) => a + b, 0);
  let dropped = 0;
  while (dropped < turnTokens.length && used > budget) used -= turnTokens[dropped++];
  return { dropped, used };
}

/** The fit the worker returns, from its counts and the host's policy. */
export function fitChat(exchangeTokens: readonly number[], nextTokens: number, contextSize: number, policy: FitPolicy, estimated: boolean): ChatFit {
  const reserve = Math.min(policy.reserveTokens ?? chatReserve(contextSize), contextSize);
  const { dropped } = fitTurns(exchangeTokens, nextTokens, contextSize, reserve);
  return { contextSize, reserve, exchangeTokens, nextTokens, dropped, estimated };
}

/** The least room a single prompt must leave for the reasoning and the answer: a quarter of the context, ≤ 1,024. */
export function replyRoom(contextSize: number): number {
  return Math.min(Math.floor(contextSize / 4), 1024);
}
