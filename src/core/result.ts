/**
 * The one error convention: an expected failure is a value — `Result<T>` with a message a user can act on — and
 * `throw` is kept for what crosses a process boundary (worker ↔ host requests reject) or cannot be handled here.
 * `errorMessage(e)` is the only way to turn a caught `unknown` into text.
 * (`ApplyResult` in core/edits keeps its `reason` field: it is public through dist/core.js.)
 */

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const fail = (error: string): { readonly ok: false; readonly error: string } => ({ ok: false, error });

/** The message of anything thrown: an Error's message, otherwise its string form. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
