/** Arguments of Ponder's edit commands. Commands can be run by anything (other extensions, keybindings): validate. */
import * as vscode from 'vscode';

export interface TaskArgs {
  /** Document URI string; default: the active editor's. */
  readonly uri?: string;
  /** Default: the active editor's selection. */
  readonly range?: { readonly startLine: number; readonly startCharacter: number; readonly endLine: number; readonly endCharacter: number };
  /** The range is the user's selection (else it only positions the cursor). */
  readonly selection?: boolean;
  /** The diagnostic being fixed. */
  readonly focus?: { readonly line: number; readonly message: string };
  /** For ponder.editWithInstructions: skip the input box. */
  readonly instructions?: string;
}

export const MAX_INSTRUCTIONS = 2000;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 10_000_000;

/** Accepts TaskArgs, a Uri (editor context menus pass the resource), or nothing. Invalid fields are dropped. */
export function parseTaskArgs(raw: unknown): TaskArgs | string {
  if (raw === undefined || raw === null) return {};
  if (raw instanceof vscode.Uri) return { uri: raw.toString() };
  if (!isObj(raw)) return 'Ponder: unexpected command argument (expected an options object).';
  const out: { -readonly [K in keyof TaskArgs]: TaskArgs[K] } = {};
  if (typeof raw.uri === 'string') out.uri = raw.uri;
  const r = raw.range;
  if (isObj(r)) {
    if (!isLine(r.startLine) || !isLine(r.endLine) || !isLine(r.startCharacter) || !isLine(r.endCharacter)) return 'Ponder: invalid range argument.';
    out.range = { startLine: r.startLine, startCharacter: r.startCharacter, endLine: r.endLine, endCharacter: r.endCharacter };
  }
  if (raw.selection === true) out.selection = true;
  const f = raw.focus;
  if (isObj(f) && isLine(f.line) && typeof f.message === 'string') out.focus = { line: f.line, message: f.message.slice(0, 2000) };
  if (typeof raw.instructions === 'string') {
    if (raw.instructions.length > MAX_INSTRUCTIONS) return `Ponder: instructions longer than ${MAX_INSTRUCTIONS} characters; shorten them.`;
    out.instructions = raw.instructions;
  }
  return out;
}

/** A proposal named by id, by a file or proposal URI, or (nothing given) the active editor's file. */
export function parseProposalRef(raw: unknown): { id: string } | { uri: vscode.Uri } | undefined {
  if (typeof raw === 'string' && /^[\w-]{1,64}$/.test(raw)) return { id: raw };
  if (raw instanceof vscode.Uri) return { uri: raw };
  const active = vscode.window.activeTextEditor?.document.uri;
  return active ? { uri: active } : undefined;
}
