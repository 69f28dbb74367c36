/** The thinking block's header text: live while thinking, a summary once the answer started. */
export interface ThinkingClock {
  /** When the first reasoning token arrived (model loading is not thinking). */
  startedAt: number;
  tokens: number;
  endedAt?: number;
  cutShort?: boolean;
  /** Known duration (a restored turn), instead of the clock. */
  seconds?: number;
}

export function thinkingHeader(c: ThinkingClock, now: number = performance.now()): string {
  const seconds = c.seconds ?? ((c.endedAt ?? now) - c.startedAt) / 1000;
  if (c.endedAt === undefined) {
    const rate = seconds > 0 ? c.tokens / seconds : 0;
    return `Thinking… ${seconds.toFixed(1)} s · ${c.tokens} tokens · ${rate.toFixed(1)} tok/s`;
  }
  return `Thought for ${seconds.toFixed(1)} s (${c.tokens} tokens)${c.cutShort ? ' · cut short' : ''}`;
}
