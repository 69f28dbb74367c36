/**
 * The follow-up prompt of "Ask Ponder to redo it": sent as one more turn in the same chat (the model still has its
 * previous answer in context), quoting why that answer was refused or what was uncertain about it, and the current
 * text of the region, so the next answer is made against the file as it is now.
 */
import { fenced, lineSpan } from '../context/prompt';
import { plainCode } from '../notification';

export type RedoProblem =
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'warned'; readonly warnings: readonly string[] };

export interface RedoRequest {
  /** Workspace-relative path of the file the answer was for. */
  readonly path: string;
  /** Fence language for the quoted code (e.g. "ts"). */
  readonly lang: string;
  readonly problem: RedoProblem;
  /** The region as it is now: 0-based inclusive lines of the current file and their text. */
  readonly region: { readonly startLine: number; readonly endLine: number; readonly text: string; readonly wholeFile: boolean };
  /** The region was the user's selection or the code the task was about (so the answer must stay inside it). */
  readonly rangeBound: boolean;
}

/** At most this many characters of the region are quoted (the model already saw the file in the first turn). */
export const MAX_REGION_CHARS = 12_000;

export function buildRedoPrompt(r: RedoRequest): string {
  const where = r.region.wholeFile ? `\`${r.path}\`` : `${lineSpan(r.region.startLine, r.region.endLine)} of \`${r.path}\``;
  const problem = r.problem.kind === 'refused'
    ? [`Ponder could not apply your previous answer to \`${r.path}\`: ${oneLine(r.problem.reason)}.`]
    : [`Ponder could apply your previous answer to \`${r.path}\`, but only by guessing:`, ...r.problem.warnings.map((w) => `- ${oneLine(w)}`)];
  let text = r.region.text;
  let cut = '';
  if (text.length > MAX_REGION_CHARS) {
    text = text.slice(0, text.lastIndexOf('\n', MAX_REGION_CHARS) + 1 || MAX_REGION_CHARS);
    cut = ` (its first ${text.split('\n').length - 1} lines)`;
  }
  return [
    ...problem,
    '',
    `This is the current text of ${where}${cut}:`,
    fenced(text, r.lang),
    '',
    'Answer again with the corrected code in one fenced code block for this file.',
    r.rangeBound
      ? `Rewrite ${lineSpan(r.region.startLine, r.region.endLine)} as a whole and change nothing outside them.`
      : 'Repeat every function, method or class you change in full, with the same names as in the file.',
    'Keep the names of existing functions; do not use placeholders such as "// ... existing code ..." inside the code you change.',
  ].join('\n');
}

/** The first 1-based line a refusal or warning names ("… at line 26", "(line 6)") as a 0-based index. */
export function mentionedLine(problem: RedoProblem): number | undefined {
  const text = problem.kind === 'refused' ? problem.reason : problem.warnings.join('\n');
  const m = /\blines? (\d+)\b/.exec(text);
  return m ? Math.max(0, Number(m[1]) - 1) : undefined;
}

/** Short form for the panel: "Redo: fix `add` — the code block is never closed". */
export function redoDisplay(label: string, problem: RedoProblem): string {
  const why = problem.kind === 'refused' ? problem.reason : problem.warnings[0] ?? 'uncertain placement';
  const short = plainCode(oneLine(why)); // the chat shows the user's message as plain text
  return `Redo: ${label} — ${short.length > 120 ? `${short.slice(0, 119)}…` : short}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
}
