/**
 * Host ↔ side-panel (webview) protocol. Imported by src/extension and src/webview; the webview never redeclares
 * these types. Everything arriving from the webview is validated by `parsePanelMessage` before use.
 */
import type { ChatStats, StopReason } from './engine';
import { isFiniteNumber, isObject, isString, fail, type Result } from './validate';

export interface PanelTurn {
  readonly id: string;
  readonly prompt: string;
  readonly reasoning: string;
  readonly answer: string;
  /** undefined while streaming. */
  readonly outcome?: TurnOutcome;
  /** Verification lines of the edits this turn produced (one per fix session), in the order they started. */
  readonly verifications?: readonly TurnVerification[];
}

/** Buttons a verification line may offer. */
export type VerificationAction = 'repair' | 'undo' | 'stop';

/** What checking an applied edit found, as one line in the turn that produced the edit. */
export interface TurnVerification {
  /** The fix session (an edit and its repairs); a later update replaces the line with the same id. */
  readonly id: string;
  readonly state: 'running' | 'fixed' | 'clean' | 'failed' | 'notVerified' | 'undone';
  readonly text: string;
  readonly actions: readonly VerificationAction[];
}

const VERIFICATION_STATES: ReadonlySet<string> = new Set(['running', 'fixed', 'clean', 'failed', 'notVerified', 'undone']);
const isVerificationAction = (v: unknown): v is VerificationAction => v === 'repair' || v === 'undo' || v === 'stop';

/** Stored chats are re-validated (they may come from another version): a verification line's shape. */
export function isTurnVerification(v: unknown): v is TurnVerification {
  return isObject(v) && isString(v.id) && isString(v.state) && VERIFICATION_STATES.has(v.state) && isString(v.text) &&
    Array.isArray(v.actions) && v.actions.every(isVerificationAction);
}

export interface TurnOutcome {
  readonly stopReason: StopReason | 'error';
  readonly thoughtCutShort: boolean;
  /** How long the model thought (first reasoning chunk → first answer chunk or end), for restored turns. */
  readonly thoughtMs?: number;
  readonly stats?: ChatStats;
  readonly error?: string;
  /** Saved while the turn was still running (the window went away before it ended): shown as stopped, with Retry. */
  readonly interrupted?: boolean;
}

/**
 * Liveness of the panel's window. An extension host outlives a closed browser tab (code-server keeps it for its
 * reconnection grace time) and gets no dispose, so the host checks: the webview sends `panel/heartbeat` every
 * `heartbeatMs` while a turn runs; after `quietMs` without any message the host makes a round trip (`panel/ping`
 * → `panel/pong`, or the workbench acknowledging the post) and stops the turn if nothing answers in `probeTimeoutMs`.
 */
export const LIVENESS = Object.freeze({ heartbeatMs: 1000, quietMs: 3000, probeTimeoutMs: 5000 });

export type ReasoningDisplay = 'collapseWhenDone' | 'expanded' | 'hidden';

/** Something that will be sent with the next prompt (shown as a removable chip above the input). */
export interface ContextChip {
  readonly id: string;
  /** `workspace`: the repository map (`@workspace`); clicking it opens the map. */
  readonly kind: 'file' | 'selection' | 'diagnostics' | 'workspace';
  readonly label: string;
  /** Longer description for the tooltip. */
  readonly detail: string;
  /** Shown on the chip itself: what is cut or odd about it ("first 120 of 900 lines / 6 KB of 40 KB · minified"). */
  readonly note?: string;
}

/**
 * How full the context is, and what Ponder drops before the next message if it does not fit. Built from the
 * worker's fit (engine/fitChat) so the percentage and the dropped turns come from the same counts.
 */
export interface ContextMeter {
  /** Tokens the chat's exchanges and the next message need, before anything is dropped. */
  readonly used: number;
  /** Tokens the chat may use: the context size minus the room kept for the reasoning and the answer. */
  readonly budget: number;
  /** The model's context size. */
  readonly size: number;
  /** Oldest turns (1-based numbers) that Ponder drops from what it sends next; empty when everything fits. */
  readonly willDrop: readonly number[];
  /** Counted by estimate (a remote engine without a tokenizer here) rather than the model's tokenizer. */
  readonly estimated?: boolean;
}

/** Host → webview messages. */
export type HostToPanel =
  /** Host → webview: the whole chat, sent after `panel/ready` (also after hide/show or reload). */
  | {
      readonly type: 'panel/state';
      readonly turns: readonly PanelTurn[];
      readonly status: string;
      readonly busy: boolean;
      readonly reasoningDisplay: ReasoningDisplay;
      readonly chips: readonly ContextChip[];
      readonly meter?: ContextMeter;
      /** The label of the model that answers (shown by the empty chat); absent when none is set up. */
      readonly model?: string;
    }
  /** Host → webview: the chips for the next prompt changed. */
  | { readonly type: 'panel/chips'; readonly chips: readonly ContextChip[] }
  /** Host → webview: the context meter changed. */
  | { readonly type: 'panel/meter'; readonly meter: ContextMeter }
  /** Host → webview: show and highlight a passage of a turn's reasoning (a change's "Why?" link). */
  | { readonly type: 'panel/highlightReasoning'; readonly turnId: string; readonly start: number; readonly end: number }
  /** Host → webview: workspace files matching an `@` mention being typed. */
  | { readonly type: 'panel/mentionResults'; readonly query: string; readonly files: readonly string[] }
  /** Host → webview: a new turn started streaming. */
  | { readonly type: 'panel/turnStarted'; readonly turnId: string; readonly prompt: string }
  /** Host → webview: a streamed piece of the current turn. */
  | { readonly type: 'panel/chunk'; readonly turnId: string; readonly kind: 'reasoning' | 'answer'; readonly text: string }
  /** Host → webview: the turn finished (done, stopped, or failed). */
  | { readonly type: 'panel/turnEnded'; readonly turnId: string; readonly outcome: TurnOutcome }
  /** Host → webview: add or replace (same id) a verification line in the turn that produced the edit. */
  | { readonly type: 'panel/verification'; readonly turnId: string; readonly verification: TurnVerification }
  /** Host → webview: a `panel/send` was not sent (the typed text goes back into the box, the error is shown). */
  | { readonly type: 'panel/sendFailed'; readonly sendId: number; readonly error: string }
  /** Host → webview: something the user asked for in the composer was refused (e.g. a binary `@` mention). */
  | { readonly type: 'panel/notice'; readonly text: string }
  /** Host → webview: are you there? Answered with `panel/pong` and the same seq. */
  | { readonly type: 'panel/ping'; readonly seq: number }
  /** Host → webview: the engine/model status line. */
  | { readonly type: 'panel/status'; readonly text: string; readonly busy: boolean; readonly model?: string };

/** Webview → host messages. */
export type PanelToHost =
  /** Webview → host: the script is listening; the host may post now. */
  | { readonly type: 'panel/ready' }
  /** Webview → host: still here (sent every LIVENESS.heartbeatMs while a turn runs). */
  | { readonly type: 'panel/heartbeat' }
  /** Webview → host: the answer to `panel/ping` with the same seq. */
  | { readonly type: 'panel/pong'; readonly seq: number }
  /** Webview → host: the user sent a prompt; a failure comes back as `panel/sendFailed` with the same sendId. */
  | { readonly type: 'panel/send'; readonly text: string; readonly sendId: number }
  /** Webview → host: Stop. */
  | { readonly type: 'panel/stop' }
  /** Webview → host: Answer now (end the thinking). */
  | { readonly type: 'panel/answerNow' }
  /** Webview → host: start a new chat. */
  | { readonly type: 'panel/newChat' }
  /** Webview → host: copy a code block to the clipboard. */
  | { readonly type: 'panel/copy'; readonly text: string }
  /** Webview → host: insert a code block at the cursor of the last active editor. */
  | { readonly type: 'panel/insert'; readonly text: string }
  /**
   * Webview → host: "Apply to file…" on code block `blockIndex` (0-based, in rendering order) of turn `turnId`'s
   * answer. The host takes the block — with its file-name line and sibling blocks — from the stored turn.
   */
  | { readonly type: 'panel/applyCode'; readonly turnId: string; readonly blockIndex: number }
  /** Webview → host: open a link from an answer (the host validates it). */
  | { readonly type: 'panel/openLink'; readonly href: string }
  /** Webview → host: retry a failed turn. */
  | { readonly type: 'panel/retry'; readonly turnId: string }
  /** Webview → host: drop a context chip. */
  | { readonly type: 'panel/removeChip'; readonly id: string }
  /** Webview → host: open what a chip stands for (the `@workspace` chip: the rendered map). */
  | { readonly type: 'panel/openChip'; readonly id: string }
  /** Webview → host: list workspace files for an `@` mention. */
  | { readonly type: 'panel/mentionQuery'; readonly query: string }
  /** Webview → host: add a workspace file (chosen from a mention) as a chip. */
  | { readonly type: 'panel/addFile'; readonly path: string }
  /** Webview → host: show past chats to reopen. */
  | { readonly type: 'panel/showHistory' }
  /** Webview → host: export this chat as Markdown. */
  | { readonly type: 'panel/exportChat' }
  /** Webview → host: a verification line's button (Repair, Undo, Stop). */
  | { readonly type: 'panel/verificationAction'; readonly verificationId: string; readonly action: VerificationAction }
  /** Webview → host: open the model picker (the empty chat's "Change…" button). */
  | { readonly type: 'panel/selectModel' };

/** Longest prompt the panel may send (characters); the composer checks it before sending. */
export const MAX_PROMPT = 100_000;

/** Links from model output that the host may open: web and mail only. */
export function isSafeLink(href: string): boolean {
  try {
    const u = new URL(href);
    return (u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:') && isFiniteNumber(href.length);
  } catch {
    return false;
  }
}

export function parsePanelMessage(m: unknown): Result<PanelToHost> {
  if (!isObject(m) || !isString(m.type)) return fail('message needs a string type');
  switch (m.type) {
    case 'panel/ready':
    case 'panel/heartbeat':
    case 'panel/stop':
    case 'panel/answerNow':
    case 'panel/newChat':
    case 'panel/showHistory':
    case 'panel/exportChat':
    case 'panel/selectModel':
      return { ok: true, value: { type: m.type } };
    case 'panel/copy':
    case 'panel/insert':
      if (!isString(m.text) || m.text.length > MAX_PROMPT * 10) return fail(`${m.type} needs text`);
      return { ok: true, value: { type: m.type, text: m.text } };
    case 'panel/applyCode':
      if (!isString(m.turnId) || m.turnId.length > 100) return fail('applyCode needs a turnId');
      if (!isFiniteNumber(m.blockIndex) || !Number.isInteger(m.blockIndex) || m.blockIndex < 0 || m.blockIndex > 10_000) return fail('applyCode needs a block index');
      return { ok: true, value: { type: m.type, turnId: m.turnId, blockIndex: m.blockIndex } };
    case 'panel/openLink':
      if (!isString(m.href) || m.href.length > 2048) return fail('openLink needs an href');
      return { ok: true, value: { type: m.type, href: m.href } };
    case 'panel/pong':
      return isFiniteNumber(m.seq) ? { ok: true, value: { type: m.type, seq: m.seq } } : fail('pong needs a numeric seq');
    case 'panel/retry':
      return isString(m.turnId) ? { ok: true, value: { type: m.type, turnId: m.turnId } } : fail('retry needs a turnId');
    case 'panel/removeChip':
    case 'panel/openChip':
      return isString(m.id) && m.id.length <= 1024 ? { ok: true, value: { type: m.type, id: m.id } } : fail(`${m.type} needs an id`);
    case 'panel/mentionQuery':
      return isString(m.query) && m.query.length <= 200 ? { ok: true, value: { type: m.type, query: m.query } } : fail('mentionQuery needs a short query');
    case 'panel/addFile':
      return isString(m.path) && m.path.length <= 1024 ? { ok: true, value: { type: m.type, path: m.path } } : fail('addFile needs a path');
    case 'panel/verificationAction':
      if (!isString(m.verificationId) || m.verificationId.length > 100) return fail('verificationAction needs a verificationId');
      if (!isVerificationAction(m.action)) return fail('verificationAction needs repair, undo or stop');
      return { ok: true, value: { type: m.type, verificationId: m.verificationId, action: m.action } };
    case 'panel/send':
      if (!isFiniteNumber(m.sendId)) return fail('send needs a numeric sendId');
      if (!isString(m.text) || m.text.trim() === '') return fail('send needs non-empty text');
      if (m.text.length > MAX_PROMPT) return fail(`The message is longer than ${MAX_PROMPT.toLocaleString('en')} characters; attach long text as a file with @ instead.`);
      return { ok: true, value: { type: m.type, text: m.text, sendId: m.sendId } };
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}
