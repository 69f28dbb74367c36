/** How many whole oldest turns to drop so the history, the new prompt and room to think and answer fit the context. */
export function fitTurns(turnTokens: readonly number[], promptTokens: number, contextSize: number): { dropped: number; used: number } {
  // Room kept for the reply: half the context, at most 4,096 tokens (a distill's thought plus answer).
  const reserve = Math.min(Math.floor(contextSize / 2), 4096);
  const budget = contextSize - reserve - promptTokens;
  let used = turnTokens.reduce((a, b) => a + b, 0);
  let dropped = 0;
  while (dropped < turnTokens.length && used > budget) used -= turnTokens[dropped++];
  return { dropped, used };
}

/** The least room a single prompt must leave for the reasoning and the answer: a quarter of the context, ≤ 1,024. */
export function replyRoom(contextSize: number): number {
  return Math.min(Math.floor(contextSize / 4), 1024);
}
