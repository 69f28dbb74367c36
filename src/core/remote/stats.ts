/** A remote reply's stats, from the server's `usage` (and llama-server's `timings`) when present, else counted here. */
import type { ChatStats } from '../protocol/engine';
import type { ServerTimings, Usage } from './chat-stream';

export interface StreamTally {
  /** performance.now() values: request received, first streamed piece, end. */
  readonly receivedAt: number;
  readonly firstAt?: number;
  readonly endAt: number;
  /** Streamed deltas of each kind (a streaming server sends about one token per delta). */
  readonly reasoningDeltas: number;
  readonly answerDeltas: number;
  /** Completion tokens reported by earlier requests of the same turn ("answer now" continues in a second one). */
  readonly earlierCompletionTokens: number;
  readonly usage?: Usage;
  readonly timings?: ServerTimings;
  /** Our own estimate of the prompt, when the server reports nothing. */
  readonly estimatedPromptTokens: number;
  readonly contextSize: number;
}

export function remoteStats(t: StreamTally): ChatStats {
  const u = t.usage ?? {};
  const counted = t.reasoningDeltas + t.answerDeltas;
  const completion = u.completionTokens === undefined ? counted : u.completionTokens + t.earlierCompletionTokens;
  const thinkingTokens = Math.min(completion, u.reasoningTokens ?? t.reasoningDeltas);
  const answerTokens = Math.max(0, completion - thinkingTokens);
  const timedPrompt = t.timings?.promptN === undefined ? undefined : t.timings.promptN + (t.timings.cacheN ?? 0);
  const promptTokens = u.promptTokens ?? timedPrompt ?? t.estimatedPromptTokens;
  const reusedTokens = Math.min(promptTokens, u.cachedTokens ?? t.timings?.cacheN ?? 0);
  const evaluatedTokens = t.timings?.promptN ?? promptTokens - reusedTokens;
  const genSeconds = t.firstAt === undefined ? 0 : (t.endAt - t.firstAt) / 1000;
  const generated = thinkingTokens + answerTokens;
  return {
    promptTokens,
    evaluatedTokens,
    reusedTokens,
    thinkingTokens,
    answerTokens,
    timeToFirstTokenMs: t.firstAt === undefined ? 0 : Math.round((t.firstAt - t.receivedAt) * 10) / 10,
    tokensPerSecond: genSeconds > 0 ? Math.round((generated / genSeconds) * 10) / 10 : 0,
    durationMs: Math.round(t.endAt - t.receivedAt),
    contextTokens: promptTokens + generated,
    contextSize: t.contextSize,
  };
}
