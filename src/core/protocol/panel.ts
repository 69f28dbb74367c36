/**
 * Host ↔ side-panel (webview) protocol. Imported by src/extension and src/webview; the webview never redeclares
 * these types. Everything arriving from the webview is validated by `parsePanelMessage` before use.
 */
import type { ChatStats, StopReason } from './engine';
import { isObject, isString, fail, type Result } from './validate';

export interface PanelTurn {
  readonly id: string;
  readonly prompt: string;
  readonly reasoning: string;
  readonly answer: string;
  /** undefined while streaming. */
  readonly outcome?: TurnOutcome;
}

export interface TurnOutcome {
  readonly stopReason: StopReason | 'error';
  readonly thoughtCutShort: boolean;
  readonly stats?: ChatStats;
  readonly error?: string;
}

/** Host → webview messages. */
export type HostToPanel =
  /** Host → webview: the whole chat, sent after `panel/ready` (also after hide/show or reload). */
  | { readonly type: 'panel/state'; readonly turns: readonly PanelTurn[]; readonly status: string; readonly busy: boolean }
  /** Host → webview: a new turn started streaming. */
  | { readonly type: 'panel/turnStarted'; readonly turnId: string; readonly prompt: string }
  /** Host → webview: a streamed piece of the current turn. */
  | { readonly type: 'panel/chunk'; readonly turnId: string; readonly kind: 'reasoning' | 'answer'; readonly text: string }
  /** Host → webview: the turn finished (done, stopped, or failed). */
  | { readonly type: 'panel/turnEnded'; readonly turnId: string; readonly outcome: TurnOutcome }
  /** Host → webview: the engine/model status line. */
  | { readonly type: 'panel/status'; readonly text: string; readonly busy: boolean };

/** Webview → host messages. */
export type PanelToHost =
  /** Webview → host: the script is listening; the host may post now. */
  | { readonly type: 'panel/ready' }
  /** Webview → host: the user sent a prompt. */
  | { readonly type: 'panel/send'; readonly text: string }
  /** Webview → host: Stop. */
  | { readonly type: 'panel/stop' }
  /** Webview → host: Answer now (end the thinking). */
  | { readonly type: 'panel/answerNow' }
  /** Webview → host: start a new chat. */
  | { readonly type: 'panel/newChat' };

const MAX_PROMPT = 100_000;

export function parsePanelMessage(m: unknown): Result<PanelToHost> {
  if (!isObject(m) || !isString(m.type)) return fail('message needs a string type');
  switch (m.type) {
    case 'panel/ready':
    case 'panel/stop':
    case 'panel/answerNow':
    case 'panel/newChat':
      return { ok: true, value: { type: m.type } };
    case 'panel/send':
      if (!isString(m.text) || m.text.trim() === '') return fail('send needs non-empty text');
      if (m.text.length > MAX_PROMPT) return fail(`prompt longer than ${MAX_PROMPT} characters`);
      return { ok: true, value: { type: m.type, text: m.text } };
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}
