/**
 * Verification after every Apply, and the repair loop around it. A "fix session" is an edit and its repairs: it
 * remembers each touched file's text and diagnostics before the first Apply, checks every Apply against them (the
 * checked rule, then the optional test command), shows the outcome as a line in the chat turn that produced the
 * edit, and offers Repair (one more turn in the same chat) and Undo (back to the text before the first Apply).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TurnVerification, VerificationAction } from '../../core/protocol/panel';
import { buildRepairPrompt, compareDiagnostics, counts, lineChanges, newProblemsElsewhere, planUndo, summarize, type FileProblems, type FixTarget, type Problem, type Summary, type TestRun } from '../../core/verify';
import type { PonderContext } from '../context';
import { log } from '../log';
import { minimalEdit } from '../edits/apply';
import { DiagnosticsWatch } from './diagnostics';
import { verifySettings } from './settings';
import { TestCommand } from './test-command';

/** One Apply, as the edit pipeline reports it. */
export interface AppliedEdit {
  readonly uri: vscode.Uri;
  readonly relPath: string;
  /** The file's text just before this write, and just after. */
  readonly before: string;
  readonly after: string;
  /** The chat turn whose answer this edit came from. */
  readonly turnId?: string;
  /** For Fix: the diagnostic it was asked to fix. */
  readonly target?: FixTarget;
  /** The target symbol (for the test command's {symbol}). */
  readonly symbol?: string;
}

/** A repair request: one follow-up turn in the chat of `afterTurnId`, its answer through the proposal gate. */
export interface RepairRequest {
  readonly afterTurnId?: string;
  readonly prompt: string;
  readonly display: string;
  readonly uri: vscode.Uri;
  readonly relPath: string;
  readonly languageId: string;
  readonly round: number;
}

/** What the edit pipeline made of a repair turn (it supplies this: the same follow-up step as "redo"). */
export type RepairResult =
  | { readonly ok: true; readonly turnId: string; readonly proposalId: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly turnId?: string };

export type RepairTurn = (r: RepairRequest, signal: AbortSignal) => Promise<RepairResult>;

interface FileState {
  readonly uri: vscode.Uri;
  readonly relPath: string;
  readonly languageId: string;
  readonly original: string;
  readonly originalProblems: readonly Problem[];
  written: string;
}

interface Session {
  readonly id: string;
  readonly files: Map<string, FileState>;
  readonly target?: FixTarget;
  readonly symbol?: string;
  /** Every file's problems before the session's first write: the base for "new problems elsewhere". */
  readonly othersBefore: readonly FileProblems[];
  /** Repair rounds started so far. */
  round: number;
  /** The turn whose line shows this session's latest outcome. */
  lineTurnId?: string;
  line?: TurnVerification;
  last?: { readonly summary: Summary; readonly file: FileState; readonly test?: TestRun };
  /** Stops the running check, test command and repair turn; Stop also ends automatic repairs. */
  abort: AbortController;
  stopped: boolean;
  busy: boolean;
  undone: boolean;
  /** Bumped by every Apply in the session, so a late re-check of an older write stands down. */
  seq: number;
  checkMs?: number;
}

/** What tests (and the API) can read back: each session's latest line. */
export interface VerificationRecord {
  readonly sessionId: string;
  readonly turnId?: string;
  readonly state: TurnVerification['state'];
  readonly text: string;
  readonly rounds: number;
  readonly problems: readonly Problem[];
  readonly test?: TestRun;
  /** Write → outcome of the latest check (ms), for the benchmark notes. */
  readonly checkMs?: number;
}

export class Verifier implements vscode.Disposable {
  readonly tests: TestCommand;
  private readonly sessions = new Map<string, Session>();
  private readonly byTurn = new Map<string, Session>();
  private readonly status = vscode.window.createStatusBarItem('ponder.verify', vscode.StatusBarAlignment.Left, 90);
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a session's outcome changes (lenses, code actions). */
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [this.status, this.changed];

  /**
   * `watch` runs from activation (languages that reported problems at any time count as checking their files),
   * the verifier from its first use (src/extension/features.ts).
   */
  constructor(private readonly ctx: PonderContext, private readonly repairTurnOf: RepairTurn, readonly watch: DiagnosticsWatch) {
    this.tests = new TestCommand(ctx.vscodeContext.globalState);
    this.status.name = 'Ponder verification';
  }

  records(): VerificationRecord[] {
    return [...this.sessions.values()].map((s) => ({ sessionId: s.id, turnId: s.lineTurnId, state: s.line?.state ?? 'running', text: s.line?.text ?? '', rounds: s.round, problems: s.last?.summary.problems ?? [], test: s.last?.test, checkMs: s.checkMs }));
  }

  /** Failed, not undone sessions that touched this file (for lenses and code actions). */
  failedFor(uri: vscode.Uri): { id: string; file: FileState; summary: Summary }[] {
    const key = uri.toString();
    return [...this.sessions.values()].flatMap((s) => (s.last && !s.undone && s.last.summary.state === 'failed' && s.last.file.uri.toString() === key ? [{ id: s.id, file: s.last.file, summary: s.last.summary }] : []));
  }

  /** The most recent session to act on when a command names none: the active editor's file first. */
  latest(uri?: vscode.Uri, failedOnly = false): string | undefined {
    const all = [...this.sessions.values()].reverse().filter((s) => !s.undone && (!failedOnly || s.last?.summary.state === 'failed'));
    return (uri && all.find((s) => s.files.has(uri.toString()))?.id) ?? all[0]?.id;
  }

  async onApplied(e: AppliedEdit): Promise<void> {
    if (!verifySettings.enabled || e.uri.scheme !== 'file') return;
    const found = e.turnId ? this.byTurn.get(e.turnId) : undefined;
    const s: Session = found ?? { id: randomUUID(), files: new Map(), target: e.target, symbol: e.symbol, othersBefore: this.watch.allBefore(5_000), round: 0, abort: new AbortController(), stopped: false, busy: false, undone: false, seq: 0 };
    if (!found) {
      this.sessions.set(s.id, s);
      if (e.turnId) this.byTurn.set(e.turnId, s);
    }
    const doc = await vscode.workspace.openTextDocument(e.uri);
    const snap = this.watch.beforeLastChange(e.uri);
    // The snapshot taken when the write changed the document; an old one (or none, for a new file) is not this write's.
    const fresh = snap && Date.now() - snap.at < 5_000 ? snap : undefined;
    const wroteAt = fresh?.at ?? Date.now();
    // Problems on the lines this write replaced go stale: a running provider must report again, so wait for it.
    const atWrite = fresh?.problems ?? this.watch.now(e.uri);
    const replaced = lineChanges(e.before, e.after);
    const needUpdate = atWrite.some((p) => counts(p) && replaced.some((c) => p.line >= c.oldStart && p.line < Math.max(c.oldEnd, c.oldStart + 1)));
    let f = s.files.get(e.uri.toString());
    if (!f) {
      f = { uri: e.uri, relPath: e.relPath, languageId: doc.languageId, original: e.before, originalProblems: fresh?.problems ?? this.watch.now(e.uri), written: e.after };
      s.files.set(e.uri.toString(), f);
    }
    f.written = e.after;
    s.undone = false;
    s.seq++;
    if (s.abort.signal.aborted) s.abort = new AbortController(); // an Apply is an explicit user action: checking resumes
    await this.verify(s, f, e.turnId, wroteAt, needUpdate);
  }

  private async verify(s: Session, f: FileState, turnId: string | undefined, wroteAt: number, needUpdate = false): Promise<void> {
    s.busy = true;
    const signal = s.abort.signal;
    const seq = s.seq;
    let final: Awaited<ReturnType<Verifier['check']>>;
    try {
      await this.setLine(s, turnId, 'running', `Checking ${f.relPath}…`, ['stop']);
      this.showStatus(`$(sync~spin) Ponder: checking ${path.posix.basename(f.relPath)}…`);
      final = await this.check(s, f, wroteAt, signal, needUpdate);
    } finally {
      s.busy = false; // released before the outcome shows, so Repair (or the automatic round) can start at once
    }
    if (wroteAt > 0) s.checkMs = Date.now() - wroteAt;
    await this.setLine(s, turnId, final.state, final.text, final.actions);
    if (final.how === 'quiet') {
      // Checked by quiet alone: a slow language service may still report. Until the time box ends, an update for
      // the file re-checks it (and that verdict decides any automatic repair).
      const late = await this.watch.nextUpdate(f.uri, wroteAt + verifySettings.timing.timeBoxMs, signal);
      if (signal.aborted || s.seq !== seq || s.undone) return;
      if (late) return this.verify(s, f, turnId, 0);
    }
    if (final.state === 'failed' && !signal.aborted && !s.stopped && s.seq === seq && s.round < verifySettings.autoRepairRounds) void this.repair(s.id, true);
  }

  /** The checked rule, the comparison and the test command: what the verification line says. */
  private async check(s: Session, f: FileState, wroteAt: number, signal: AbortSignal, needUpdate: boolean): Promise<{ state: TurnVerification['state']; text: string; actions: VerificationAction[]; how?: 'update' | 'quiet' | 'timeBox' }> {
    const stopped = { state: 'failed' as const, text: `Stopped before ${f.relPath} was checked.`, actions: ['repair', 'undo'] satisfies VerificationAction[] };
    const timing = verifySettings.timing;
    const checked = await this.watch.waitChecked(f.uri, f.languageId, wroteAt, timing, signal, needUpdate);
    if (checked === 'aborted') return stopped;
    const doc = await vscode.workspace.openTextDocument(f.uri);
    const comparison = checked.kind === 'checked'
      ? compareDiagnostics({ beforeText: f.original, afterText: doc.getText(), before: f.originalProblems, after: this.watch.now(f.uri), target: s.target })
      : undefined;
    const notChecked = `no language service reported on ${f.relPath} within ${Math.round(Math.max(timing.quietMs, timing.timeBoxMs) / 1000)} s`;
    // Other files, compared to before the session's first write; reported beside the line, never deciding it.
    if (comparison) await this.watch.settle(Math.min(300, timing.quietMs), timing.quietMs + 1_000, signal);
    const written = new Set([...s.files.values()].map((x) => vscode.workspace.asRelativePath(x.uri, false)));
    const otherFiles = comparison ? newProblemsElsewhere(s.othersBefore, this.watch.allNow(), written) : undefined;
    const { test, note } = await this.runTests(s, f, signal);
    if (signal.aborted) return stopped;
    const summary = summarize({ relPath: f.relPath, comparison, notChecked, test, testNote: note, otherFiles });
    s.last = { summary, file: f, test };
    log.info(`Verification of ${f.relPath}: ${summary.text}`);
    this.showStatus(summary.state === 'failed' ? '$(error) Ponder: problems after the change' : summary.state === 'notVerified' ? '$(question) Ponder: not verified' : '$(check) Ponder: verified', 5_000);
    return { state: summary.state, text: summary.text, actions: summary.state === 'failed' ? ['repair', 'undo'] : ['undo'], how: checked.kind === 'checked' ? checked.how : undefined };
  }

  /** The test command, if configured and allowed; a note says why it did not run. */
  private async runTests(s: Session, f: FileState, signal: AbortSignal): Promise<{ test?: TestRun; note?: string }> {
    const rel = f.relPath;
    const plan = this.tests.plan(f.uri, { file: rel, dir: path.posix.dirname(rel), symbol: s.symbol ?? '' });
    if (plan.kind === 'none') return {};
    if (plan.kind === 'skip') return { note: plan.reason };
    if (!this.tests.consented(plan.template)) {
      // Asked without blocking the check; allowing runs the tests for this change right away.
      void this.tests.ask(plan.template).then((yes) => {
        if (yes && !s.busy && s.last?.file === f) void this.verify(s, f, s.lineTurnId, 0);
      });
      return { note: 'tests not run: allow the test command first (Ponder asked)' };
    }
    this.showStatus('$(beaker~spin) Ponder: running tests…');
    return { test: await this.tests.run(plan, signal) };
  }

  /** A repair turn in the same chat; its answer becomes a proposal (previewed, or applied if the user allows it). */
  async repair(sessionId: string, automatic = false): Promise<{ ok: boolean; reason?: string }> {
    const s = this.sessions.get(sessionId);
    const last = s?.last;
    if (!s || !last) return { ok: false, reason: 'There is no checked Ponder change to repair.' };
    if (last.summary.state !== 'failed') return { ok: false, reason: `Nothing to repair: ${last.summary.text}` };
    if (s.busy) return { ok: false, reason: 'Ponder is still checking or repairing this change.' };
    if (this.ctx.chat.busy) return { ok: false, reason: 'Ponder is answering another request; wait for it or Stop it first.' };
    if (!automatic) {
      s.stopped = false; // an explicit Repair after Stop is the user's choice
      if (s.abort.signal.aborted) s.abort = new AbortController();
    }
    s.busy = true;
    s.round++;
    let next: (() => Promise<{ ok: boolean; reason?: string }>) | undefined;
    try {
      const r = await this.repairTurn(s, last, automatic);
      next = r.next;
      return r.result;
    } finally {
      s.busy = false;
      this.changed.fire();
      // After `busy` is released: an Apply starts the next check, a refused answer may start the next round.
      if (next) void next();
    }
  }

  private async repairTurn(s: Session, last: NonNullable<Session['last']>, automatic: boolean): Promise<{ result: { ok: boolean; reason?: string }; next?: () => Promise<{ ok: boolean; reason?: string }> }> {
    const f = last.file;
    const doc = await vscode.workspace.openTextDocument(f.uri);
    const prompt = buildRepairPrompt({ relPath: f.relPath, before: f.original, after: doc.getText(), problems: last.summary.problems, test: last.test, round: s.round });
    const n = last.summary.problems.length;
    const display = `Repair ${f.relPath} (round ${s.round}${automatic ? ', automatic' : ''}): ${n ? `${n} problem${n === 1 ? '' : 's'}` : 'failing tests'}`;
    this.showStatus(`$(sync~spin) Ponder: repair round ${s.round}…`);
    const previous = s.lineTurnId;
    const r = await this.repairTurnOf({ afterTurnId: previous, prompt, display, uri: f.uri, relPath: f.relPath, languageId: f.languageId, round: s.round }, s.abort.signal);
    if (r.turnId) this.byTurn.set(r.turnId, s);
    const lineTurn = r.turnId ?? previous;
    if (!r.ok) {
      const stopped = s.abort.signal.aborted || (!!r.turnId && this.ctx.chat.snapshot().find((t) => t.id === r.turnId)?.outcome?.stopReason === 'aborted');
      if (stopped) {
        s.stopped = true;
        await this.setLine(s, lineTurn, 'failed', `Repair stopped. ${last.summary.text.replace(/^✗ /, '')}`, ['repair', 'undo']);
        return { result: { ok: false, reason: 'Stopped.' } };
      }
      await this.setLine(s, lineTurn, 'failed', `✗ Repair round ${s.round}: ${r.reason}`, ['repair', 'undo']);
      const again = automatic && !s.stopped && s.round < verifySettings.autoRepairRounds;
      return { result: { ok: false, reason: r.reason }, next: again ? () => this.repair(s.id, true) : undefined };
    }
    if (verifySettings.autoApplyRepairs && r.warnings.length === 0) {
      await this.setLine(s, lineTurn, 'running', `Applying repair round ${s.round}…`, ['stop']);
      return {
        result: { ok: true },
        next: async () => {
          await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
          await vscode.commands.executeCommand('ponder.applyProposal', r.proposalId);
          return { ok: true };
        },
      };
    }
    await this.setLine(s, lineTurn, 'running', `Repair round ${s.round} proposed a change to ${f.relPath}: review it and Apply (it is checked again).`, ['undo']);
    await vscode.commands.executeCommand('ponder.previewProposal', r.proposalId);
    return { result: { ok: true } };
  }

  /** Stop: the running check, test command or repair turn; automatic repairs end. */
  stop(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    s.stopped = true;
    s.abort.abort();
  }

  /** A repair turn the user stopped from the panel ends its session's loop. */
  turnStopped(turnId: string): void {
    const s = this.byTurn.get(turnId);
    if (s) s.stopped = true;
  }

  /** Every file the session touched, back to its text before the first Apply — all or nothing. */
  async undo(sessionId: string): Promise<{ ok: boolean; reason?: string }> {
    const s = this.sessions.get(sessionId);
    if (!s || s.files.size === 0) return { ok: false, reason: 'There is no Ponder change to undo.' };
    if (s.undone) return { ok: false, reason: 'This Ponder change was already undone.' };
    const edit = new vscode.WorkspaceEdit();
    for (const f of s.files.values()) {
      const doc = await vscode.workspace.openTextDocument(f.uri);
      const current = doc.getText();
      const plan = planUndo(f.relPath, f.original, f.written, current);
      if (!plan.ok) return { ok: false, reason: `Ponder did not undo its change: ${plan.reason}` };
      const change = minimalEdit(doc, plan.text); // the smallest replacement keeps cursors and folds elsewhere
      if (change) edit.replace(f.uri, change.range, change.newText);
    }
    s.abort.abort();
    s.stopped = true;
    if (!(await vscode.workspace.applyEdit(edit))) return { ok: false, reason: 'VS Code refused the edit (is a file read-only?). Nothing was undone.' };
    s.undone = true;
    const files = [...s.files.values()].map((f) => f.relPath).join(', ');
    await this.setLine(s, s.lineTurnId, 'undone', `↶ Undone: ${files} ${s.files.size === 1 ? 'is' : 'are'} back to the text before Ponder's change${s.round ? ` and its ${s.round} repair${s.round === 1 ? '' : 's'}` : ''}.`, []);
    this.changed.fire();
    return { ok: true };
  }

  /** Shows the session's outcome in the turn that produced its latest edit (or a notification when no turn did). */
  private async setLine(s: Session, turnId: string | undefined, state: TurnVerification['state'], text: string, actions: VerificationAction[]): Promise<void> {
    const line: TurnVerification = { id: s.id, state, text, actions };
    const target = turnId ?? s.lineTurnId;
    if (s.lineTurnId && target !== s.lineTurnId && s.line) await this.ctx.chat.setVerification(s.lineTurnId, { ...s.line, actions: [] });
    s.line = line;
    s.lineTurnId = target;
    const shown = target ? await this.ctx.chat.setVerification(target, line) : false;
    if (!shown && state !== 'running') {
      const buttons = actions.filter((a) => a !== 'stop').map((a) => (a === 'repair' ? 'Repair' : 'Undo Ponder\'s Change'));
      void vscode.window.showInformationMessage(`Ponder: ${text}`, ...buttons).then((b) => {
        if (b === 'Repair') void vscode.commands.executeCommand('ponder.repair', s.id);
        else if (b) void vscode.commands.executeCommand('ponder.undoChange', s.id);
      });
    }
    this.changed.fire();
  }

  private statusTimer: NodeJS.Timeout | undefined;
  private showStatus(text: string, hideAfterMs?: number): void {
    clearTimeout(this.statusTimer);
    this.status.text = text;
    this.status.command = 'ponder.chat.focus';
    this.status.show();
    if (hideAfterMs) this.statusTimer = setTimeout(() => this.status.hide(), hideAfterMs);
  }

  dispose(): void {
    clearTimeout(this.statusTimer);
    for (const s of this.sessions.values()) s.abort.abort();
    this.subs.forEach((d) => d.dispose());
  }
}
