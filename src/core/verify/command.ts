/**
 * The user's test command (`ponder.verify.command`): placeholders filled in shell-quoted, so a file name can never
 * inject shell syntax, and the output tail that is shown and sent to a repair turn.
 */

export interface CommandVars {
  /** Workspace-relative path of the changed file. */
  readonly file: string;
  /** Its folder, workspace-relative ('.' for the root). */
  readonly dir: string;
  /** The target symbol ('' when none). */
  readonly symbol: string;
}

/** POSIX single quotes: safe for any text ('' for empty). */
export function shellQuote(s: string): string {
  if (s !== '' && /^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Windows cmd.exe: double quotes, embedded quotes doubled; % and ! cannot be escaped reliably, so they are refused by the caller. */
export function cmdQuote(s: string): string {
  if (s !== '' && /^[\w@+=:,./\\-]+$/.test(s)) return s;
  return `"${s.replace(/"/g, '""')}"`;
}

export type Expanded = { readonly ok: true; readonly command: string } | { readonly ok: false; readonly reason: string };

const PLACEHOLDER = /\{(file|dir|symbol)\}/g;

export function expandCommand(template: string, vars: CommandVars, platform: 'posix' | 'windows' = 'posix'): Expanded {
  const t = template.trim();
  if (!t) return { ok: false, reason: '`ponder.verify.command` is empty.' };
  if (/\{symbol\}/.test(t) && !vars.symbol) return { ok: false, reason: 'the command uses {symbol}, but this change has no target symbol.' };
  if (platform === 'windows' && Object.values(vars).some((v) => /[%!^&|<>"\r\n]/.test(v))) return { ok: false, reason: 'a file or symbol name contains characters that cannot be passed safely to cmd.exe.' };
  const quote = platform === 'windows' ? cmdQuote : shellQuote;
  return { ok: true, command: t.replace(PLACEHOLDER, (_, name: keyof CommandVars) => quote(vars[name])) };
}

/** Keeps the last `maxLines` lines (and at most `maxChars` characters) of terminal output, without ANSI codes. */
export function outputTail(output: string, maxLines = 30, maxChars = 4000): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g, '').replace(/\r\n?/g, '\n');
  const lines = plain.replace(/\n+$/, '').split('\n');
  let tail = lines.slice(-maxLines).join('\n');
  if (tail.length > maxChars) tail = tail.slice(tail.length - maxChars);
  return tail;
}
