/**
 * The "checked" rule, as a pure decision over what the host observed after writing a file. A file counts as checked
 * once a diagnostics update for it arrived after the write (and updates then stayed quiet for the quiet period), or
 * once a diagnostics provider is known to be active for its language and the quiet period passed with nothing new
 * (diagnostics events only fire on change, so a file that stays clean never fires). Otherwise, when the time box
 * runs out, it is "not verified" — never a guessed "Fixed".
 */

export interface Observed {
  /** When the write happened (ms, any clock the caller uses consistently). */
  readonly wroteAt: number;
  /** The last diagnostics update for the file after the write, if any. */
  readonly lastUpdateAt?: number;
  /** A diagnostics provider is known to be active for the file's language. */
  readonly providerActive: boolean;
}

export interface CheckTiming {
  /** How long diagnostics must stay unchanged before they count as settled. */
  readonly quietMs: number;
  /** The most the check may take in all. */
  readonly timeBoxMs: number;
}

export type CheckState =
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'checked'; readonly how: 'update' | 'quiet' | 'timeBox' }
  | { readonly kind: 'notVerified'; readonly reason: 'noProvider' | 'noUpdate' };

export function checkState(o: Observed, now: number, t: CheckTiming): CheckState {
  const quiet = Math.max(0, t.quietMs);
  const deadline = o.wroteAt + Math.max(quiet, t.timeBoxMs);
  if (o.lastUpdateAt !== undefined) {
    const settled = o.lastUpdateAt + quiet;
    if (now >= settled) return { kind: 'checked', how: 'update' };
    // Still changing at the end of the time box: take the latest diagnostics, they did arrive after the write.
    if (now >= deadline) return { kind: 'checked', how: 'timeBox' };
    return { kind: 'wait', untilMs: Math.min(settled, deadline) };
  }
  if (o.providerActive) {
    const settled = o.wroteAt + quiet;
    return now >= settled ? { kind: 'checked', how: 'quiet' } : { kind: 'wait', untilMs: settled };
  }
  return now >= deadline ? { kind: 'notVerified', reason: 'noProvider' } : { kind: 'wait', untilMs: deadline };
}
