/**
 * engine/fitChat in the worker: counts each exchange with the loaded engine's tokenizer (a remote engine estimates,
 * as it has no tokenizer here) and applies the host's policy with core's pure fitting.
 */
import type { ChatFit, FitParams } from '../core/protocol/engine';
import { EXCHANGE_OVERHEAD, fitChat } from '../core/chat/fit-context';
import { estimateTokens } from '../core/context/tokens';
import type { Engine } from './engine';

export async function fitChatOn(engine: Engine, params: FitParams): Promise<ChatFit> {
  const info = engine.status.engine;
  // One HTTP call per exchange would cost more than the estimate is off by; a local tokenizer is exact and cheap.
  const exact = info?.kind === 'local';
  const count = async (text: string): Promise<number> => (exact ? (await engine.countTokens(text)).tokens : estimateTokens(text));
  const exchangeTokens: number[] = [];
  for (const e of params.exchanges) exchangeTokens.push((await count(`${e.prompt}\n${e.answer}`)) + EXCHANGE_OVERHEAD);
  const nextTokens = 'text' in params.next ? await count(params.next.text) : params.next.tokens;
  return fitChat(exchangeTokens, nextTokens, info?.contextSize ?? 0, params.policy, !exact);
}
