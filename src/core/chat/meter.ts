/**
 * The panel's context meter, built from the worker's fit of the chat (engine/fitChat): the tokens it counts, the
 * room the chat may use and the turns it drops all come from one answer (the webview words it: src/webview/meter.ts).
 */
import type { ChatFit } from '../protocol/engine-chat';
import type { ContextMeter } from '../protocol/panel';

/** The meter for a fit; `turnNumbers[i]` is the 1-based number of exchange i as the panel shows it. */
export function meterFromFit(fit: ChatFit, turnNumbers: readonly number[]): ContextMeter {
  const used = fit.exchangeTokens.reduce((a, b) => a + b, 0) + fit.nextTokens;
  return {
    used,
    budget: Math.max(0, fit.contextSize - fit.reserve),
    size: fit.contextSize,
    willDrop: turnNumbers.slice(0, fit.dropped),
    ...(fit.estimated ? { estimated: true } : {}),
  };
}
