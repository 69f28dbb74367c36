/**
 * "Ask Ponder to redo it": a refused or warned edit → one follow-up turn in the same chat that quotes the reason
 * (or the warnings) and the current text of the region; its answer goes through the same gate. Bounded by
 * `ponder.edits.redoRounds`: a ticket carries its round, and the gate issues no ticket past the last one.
 */
import { buildRedoPrompt, MAX_REGION_CHARS, mentionedLine, redoDisplay } from '../../core/edits/redo-prompt';
import type { RedoTicket } from './gate';
import { targetText } from './gate';
import { followUpTurn, type PipelineDeps, type PipelineResult } from './pipeline';

/** Lines quoted on each side of the line a refusal names, when the whole file is too big to quote. */
const FOCUS_LINES = 60;

/** The region to quote: the target range as the file is now (clamped), else the whole file (or, if big, the part the reason names). */
export async function redoRegion(t: RedoTicket): Promise<{ startLine: number; endLine: number; text: string; wholeFile: boolean } | undefined> {
  const text = await targetText(t.target.uri);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const r = t.target.range;
  if (!r) {
    const at = text.length > MAX_REGION_CHARS ? mentionedLine(t.problem) : undefined;
    if (at === undefined || at >= lines.length) return { startLine: 0, endLine: Math.max(0, lines.length - 1), text, wholeFile: true };
    // A big file: quote the part around the line the reason names rather than its first screens.
    const startLine = Math.max(0, at - FOCUS_LINES);
    const endLine = Math.min(lines.length - 1, at + FOCUS_LINES);
    return { startLine, endLine, text: `${lines.slice(startLine, endLine + 1).join('\n')}\n`, wholeFile: false };
  }
  const startLine = Math.min(r.startLine, lines.length - 1);
  const endLine = Math.min(Math.max(r.endLine, startLine), lines.length - 1);
  return { startLine, endLine, text: `${lines.slice(startLine, endLine + 1).join('\n')}\n`, wholeFile: false };
}

/** The redo prompt for a ticket, exactly as sent (exported for tests and for the repair loop to reuse). */
export async function redoPrompt(t: RedoTicket): Promise<string | undefined> {
  const region = await redoRegion(t);
  if (!region) return undefined;
  return buildRedoPrompt({ path: t.target.relPath, lang: t.target.lang, problem: t.problem, region, rangeBound: !!t.target.range });
}

export async function redoEdit(deps: PipelineDeps, t: RedoTicket, signal: AbortSignal): Promise<PipelineResult> {
  const max = deps.redoRounds();
  if (t.round >= max) return { ok: false, reason: max === 0 ? 'Asking again is turned off (`ponder.edits.redoRounds` is 0).' : `Ponder already asked again ${max} time${max === 1 ? '' : 's'} for this edit (\`ponder.edits.redoRounds\`).` };
  const prompt = await redoPrompt(t);
  if (prompt === undefined) return { ok: false, reason: `${t.target.relPath} can no longer be opened (was it deleted or moved?).` };
  return followUpTurn(deps, { afterTurnId: t.turnId, prompt, display: redoDisplay(t.target.label, t.problem), target: t.target, round: t.round + 1 }, signal);
}
