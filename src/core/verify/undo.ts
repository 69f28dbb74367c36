/**
 * "Undo Ponder's change": back to the text before the first Apply of a fix and its repairs, keeping what the user
 * changed elsewhere since — refused, with the line, if the user edited lines Ponder changed.
 */
import { reanchor } from '../context/anchor';
import { lineChanges } from './compare';

export type UndoPlan = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** `original`: before Ponder's first write; `written`: after its last; `current`: the file now. */
export function planUndo(relPath: string, original: string, written: string, current: string): UndoPlan {
  if (current === written) return { ok: true, text: original };
  if (current === original) return { ok: false, reason: `${relPath} is already back to the text before Ponder's change.` };
  const ponder = lineChanges(original, written); // regions of `written` that Ponder wrote
  const user = lineChanges(written, current); // regions of `written` the user changed since
  for (const u of user) {
    for (const p of ponder) {
      // Overlap, or an insertion by the user right inside/at the edge of Ponder's lines.
      const pEnd = Math.max(p.newEnd, p.newStart + 1);
      const uEnd = Math.max(u.oldEnd, u.oldStart + 1);
      if (u.oldStart < pEnd && p.newStart < uEnd && !(u.oldEnd === u.oldStart && (u.oldStart === p.newStart || u.oldStart === pEnd))) {
        return { ok: false, reason: `you edited line ${u.oldStart + 1} of ${relPath}, which Ponder's change wrote, since it was applied. Undo it step by step with Ctrl+Z, or edit it by hand.` };
      }
    }
  }
  const r = reanchor(written, original, current);
  if (!r.ok) return { ok: false, reason: `${r.reason} in ${relPath}. Undo it step by step with Ctrl+Z instead.` };
  return { ok: true, text: r.proposed };
}
