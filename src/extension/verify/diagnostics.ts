/**
 * What the language services say about files, over time: the diagnostics a file had just before each change to its
 * text (so "before" is recorded before a provider could react to Ponder's write), when diagnostics for it last
 * changed, and which languages are known to have an active diagnostics provider. Waits for the "checked" rule.
 */
import * as vscode from 'vscode';
import { checkState, type CheckState, type CheckTiming, type FileProblems, type Problem, type Severity } from '../../core/verify';

const SEVERITY: Readonly<Record<vscode.DiagnosticSeverity, Severity>> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function toProblem(d: vscode.Diagnostic): Problem {
  const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
  return { message: d.message, code, source: d.source, severity: SEVERITY[d.severity], line: d.range.start.line, character: d.range.start.character, endLine: d.range.end.line };
}

/** Built-in extensions that always report diagnostics for these languages once active (syntax at least). */
const KNOWN_PROVIDERS: Readonly<Record<string, string>> = {
  typescript: 'vscode.typescript-language-features',
  typescriptreact: 'vscode.typescript-language-features',
  javascript: 'vscode.typescript-language-features',
  javascriptreact: 'vscode.typescript-language-features',
  json: 'vscode.json-language-features',
  jsonc: 'vscode.json-language-features',
  css: 'vscode.css-language-features',
  scss: 'vscode.css-language-features',
  less: 'vscode.css-language-features',
};

function fileProblems(all: readonly (readonly [vscode.Uri, readonly vscode.Diagnostic[]])[]): FileProblems[] {
  return all.filter(([u, ds]) => u.scheme === 'file' && ds.length > 0).map(([u, ds]) => ({ relPath: vscode.workspace.asRelativePath(u, false), problems: ds.map(toProblem) }));
}

export type Checked = Extract<CheckState, { kind: 'checked' | 'notVerified' }>;

export class DiagnosticsWatch implements vscode.Disposable {
  private readonly beforeChange = new Map<string, { readonly problems: Problem[]; readonly at: number }>();
  /** Every file's diagnostics just before the latest text change (raw: converted only when an Apply asks). */
  private lastAnyUpdate = 0;
  private allBeforeChange: { readonly all: readonly [vscode.Uri, readonly vscode.Diagnostic[]][]; readonly at: number } | undefined;
  private readonly lastUpdate = new Map<string, number>();
  private readonly activeLanguages = new Set<string>();
  private readonly wakers = new Set<(uri: string) => void>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    for (const [uri, ds] of vscode.languages.getDiagnostics()) if (ds.length) this.noteLanguage(uri.toString());
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
        // Runs before any provider could have seen this change: these are the diagnostics of the text before it.
        this.beforeChange.set(e.document.uri.toString(), { problems: vscode.languages.getDiagnostics(e.document.uri).map(toProblem), at: Date.now() });
        this.allBeforeChange = { all: vscode.languages.getDiagnostics(), at: Date.now() };
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.beforeChange.delete(d.uri.toString())),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const now = Date.now();
        this.lastAnyUpdate = now;
        for (const uri of e.uris) {
          const key = uri.toString();
          this.lastUpdate.set(key, now);
          if (vscode.languages.getDiagnostics(uri).length) this.noteLanguage(key);
          for (const wake of this.wakers) wake(key);
        }
      }),
    );
  }

  private noteLanguage(uri: string): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (doc) this.activeLanguages.add(doc.languageId);
  }

  /** The file's diagnostics just before its last change, and when that change happened. */
  beforeLastChange(uri: vscode.Uri): { readonly problems: Problem[]; readonly at: number } | undefined {
    return this.beforeChange.get(uri.toString());
  }

  /** Every file's problems just before the latest text change if that was under `maxAgeMs` ago, else as they are now. */
  allBefore(maxAgeMs: number): FileProblems[] {
    const snap = this.allBeforeChange && Date.now() - this.allBeforeChange.at < maxAgeMs ? this.allBeforeChange.all : vscode.languages.getDiagnostics();
    return fileProblems(snap);
  }

  /**
   * Resolves once no file's diagnostics changed for `quietMs` (at most `maxMs` from now): a language service reports
   * the other open files just after the changed one, and those are what "elsewhere" compares.
   */
  async settle(quietMs: number, maxMs: number, signal?: AbortSignal): Promise<void> {
    const end = Date.now() + maxMs;
    while (!signal?.aborted && Date.now() < end) {
      const wait = this.lastAnyUpdate + quietMs - Date.now();
      if (wait <= 0) return;
      await new Promise((r) => setTimeout(r, Math.min(wait, end - Date.now()) + 5));
    }
  }

  allNow(): FileProblems[] {
    return fileProblems(vscode.languages.getDiagnostics());
  }

  now(uri: vscode.Uri): Problem[] {
    return vscode.languages.getDiagnostics(uri).map(toProblem);
  }

  /** A provider has reported on a file of this language in this session, or a built-in one for it is running. */
  providerActive(languageId: string): boolean {
    if (this.activeLanguages.has(languageId)) return true;
    const ext = KNOWN_PROVIDERS[languageId];
    return !!ext && vscode.extensions.getExtension(ext)?.isActive === true;
  }

  /**
   * Resolves when the file is checked or, at the end of the time box, not verified; earlier if `signal` aborts.
   * `needUpdate`: the write touched lines that had diagnostics, so an active provider must send an update — quiet
   * alone proves nothing then (it may just not have reported yet).
   */
  waitChecked(uri: vscode.Uri, languageId: string, wroteAt: number, timing: CheckTiming, signal?: AbortSignal, needUpdate = false): Promise<Checked | 'aborted'> {
    const key = uri.toString();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (r: Checked | 'aborted') => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const evaluate = () => {
        const updated = this.lastUpdate.get(key);
        const s = checkState({ wroteAt, lastUpdateAt: updated !== undefined && updated > wroteAt ? updated : undefined, providerActive: !needUpdate && this.providerActive(languageId) }, Date.now(), timing);
        if (s.kind !== 'wait') return done(s);
        clearTimeout(timer);
        timer = setTimeout(evaluate, Math.max(10, s.untilMs - Date.now()));
      };
      const wake = (u: string) => u === key && evaluate();
      const onAbort = () => done('aborted');
      if (signal?.aborted) return resolve('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wakers.add(wake);
      evaluate();
    });
  }

  /** True when a diagnostics update for the file arrives before `untilMs` (false at that time, or on abort). */
  nextUpdate(uri: vscode.Uri, untilMs: number, signal?: AbortSignal): Promise<boolean> {
    const key = uri.toString();
    return new Promise((resolve) => {
      if (signal?.aborted || Date.now() >= untilMs) return resolve(false);
      const done = (v: boolean) => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const wake = (u: string) => u === key && done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), untilMs - Date.now());
      this.wakers.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.wakers.clear();
  }
}
