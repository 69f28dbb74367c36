/**
 * How a proposal is shown: a read-only diff (two `ponder-proposal:` virtual documents), inline decorations on the
 * lines it changes, and CodeLenses (Apply / Preview / Discard, and per-hunk Accept / Reject — VS Code's diff editor
 * has no per-hunk API) in the file's own editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fenced, fenceLang } from '../../core/context';
import { findReasoningPassage } from '../../core/edits/citations';
import type { Hunk } from '../../core/edits/hunks';
import { plainCode } from '../../core/notification';
import { hunkLine } from '../../core/edits/types';
import { hunkKey, type Proposal, type ProposalStore } from './proposals';

export const PROPOSAL_SCHEME = 'ponder-proposal';

export function proposalUri(p: Proposal, side: 'original' | 'proposed'): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${p.relPath}`, query: new URLSearchParams({ id: p.id, side }).toString() });
}

/** The proposal id named by a `ponder-proposal:` URI (untrusted: any extension can open one). */
export function proposalIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  const id = new URLSearchParams(uri.query).get('id');
  return id && /^[\w-]{1,64}$/.test(id) ? id : undefined;
}

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(private readonly store: ProposalStore) {
    store.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === PROPOSAL_SCHEME) this.changed.fire(doc.uri);
    }, undefined, this.subscriptions);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = proposalIdOf(uri);
    const p = id ? this.store.get(id) : undefined;
    if (!p) return '';
    const side = new URLSearchParams(uri.query).get('side');
    const view = this.store.view(p);
    // A stale proposal shows as made (against the text it was made for), so the user can still read it.
    const [base, proposed] = view.ok ? [view.base, view.proposed] : [p.base, p.proposed];
    return side === 'original' ? base : proposed;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

export async function openPreview(store: ProposalStore, p: Proposal): Promise<void> {
  store.markPreviewed(p);
  const warned = p.warnings.length ? ` ⚠ ${p.warnings.length === 1 ? 'uncertain placement' : `${p.warnings.length} warnings`}` : '';
  const title = `${path.posix.basename(p.relPath)}${p.createsFile ? ' (new file)' : ''} ↔ Ponder: ${p.label}${warned}`;
  await vscode.commands.executeCommand('vscode.diff', proposalUri(p, 'original'), proposalUri(p, 'proposed'), title, { preview: true });
}

/** Lenses over the file's own editor: the whole proposal at its first hunk, and each hunk when there are several. */
export class ProposalLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(private readonly store: ProposalStore) {
    store.onDidChange(() => this.changed.fire(), undefined, this.subscriptions);
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.store.forUri(doc.uri);
    if (!p) return [];
    const view = this.store.view(p);
    const at = (line: number) => new vscode.Range(Math.min(line, doc.lineCount - 1), 0, Math.min(line, doc.lineCount - 1), 0);
    const lens = (line: number, title: string, command: string, ...args: unknown[]) => new vscode.CodeLens(at(line), { title, command, arguments: args });
    if (!view.ok) {
      return [
        new vscode.CodeLens(at(0), { title: `$(warning) Ponder's proposal (${p.label}) no longer matches this file`, command: '' }),
        lens(0, 'Preview', 'ponder.previewProposal', p.id),
        lens(0, 'Discard', 'ponder.discardProposal', p.id),
      ];
    }
    const first = view.hunks.length ? hunkLine(view.hunks[0]) : 0;
    const lenses = [
      lens(first, `$(check) Apply Ponder's change: ${p.label}`, 'ponder.applyProposal', p.id),
      lens(first, 'Preview', 'ponder.previewProposal', p.id),
      lens(first, 'Discard', 'ponder.discardProposal', p.id),
    ];
    // What the edit engine had to guess, where the user decides (Apply asks again before writing).
    if (p.warnings.length) {
      lenses.unshift(lens(first, `$(warning) Uncertain: ${oneLine(plainCode(p.warnings[0]), 90)}${p.warnings.length > 1 ? ` (+${p.warnings.length - 1} more)` : ''}`, 'ponder.previewProposal', p.id));
    }
    if (p.redoTicket) lenses.push(lens(first, '$(refresh) Ask Ponder to redo it', 'ponder.redoEdit', p.id));
    if (view.hunks.length > 1) {
      view.hunks.forEach((h, i) => {
        const line = hunkLine(h);
        lenses.push(lens(line, `Accept change ${i + 1}/${view.hunks.length}`, 'ponder.acceptHunk', p.id, i, hunkKey(h)));
        lenses.push(lens(line, 'Reject', 'ponder.rejectHunk', p.id, i, hunkKey(h)));
      });
    }
    // "Why?" only where the reasoning names this change's code; otherwise no link at all.
    const source = p.source;
    if (source) {
      for (const h of view.hunks) {
        const passage = findReasoningPassage(source.reasoning, h.lines);
        if (passage) lenses.push(lens(hunkLine(h), '$(comment-discussion) Why? (reasoning)', 'ponder.showReasoning', source.turnId, passage.start, passage.end));
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

/** Removed lines tinted like a diff; the replacement summarised after them, in full on hover. */
export class ProposalDecorations implements vscode.Disposable {
  private readonly removed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly added = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });
  private readonly note = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorWarning.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });

  constructor(private readonly store: ProposalStore) {}

  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme === PROPOSAL_SCHEME) this.decoratePreview(editor);
      else this.decorate(editor);
    }
  }

  /** In the diff's proposed side: the warnings and the "outside the selection" note, above the first change. */
  private decoratePreview(editor: vscode.TextEditor): void {
    const id = proposalIdOf(editor.document.uri);
    const p = id ? this.store.get(id) : undefined;
    const side = new URLSearchParams(editor.document.uri.query).get('side');
    const view = p ? this.store.view(p) : undefined;
    const notes = p ? [...p.warnings.map((w) => `⚠ ${w}`), ...(p.outside ? [`⚠ ${p.outside.note}`] : [])] : [];
    if (!p || side !== 'proposed' || !notes.length) {
      editor.setDecorations(this.note, []);
      return;
    }
    const first = view?.ok && view.hunks.length ? Math.max(0, view.hunks[0].newStart - 1) : 0;
    const line = Math.min(first, Math.max(0, editor.document.lineCount - 1));
    const end = editor.document.lineAt(line).range.end;
    const hover = new vscode.MarkdownString(`**Ponder had to guess** — check before applying:\n\n${notes.map((n) => `- ${n.replace(/^⚠ /, '')}`).join('\n')}`);
    editor.setDecorations(this.note, [{ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: `  ${oneLine(plainCode(notes.join('  ')), 160)}` } } }]);
  }

  private decorate(editor: vscode.TextEditor): void {
    const p = this.store.forUri(editor.document.uri);
    const view = p ? this.store.view(p) : undefined;
    if (!p || !view?.ok) {
      editor.setDecorations(this.removed, []);
      editor.setDecorations(this.added, []);
      return;
    }
    const doc = editor.document;
    const lang = fenceLang(doc.languageId);
    const removed: vscode.DecorationOptions[] = [];
    const added: vscode.DecorationOptions[] = [];
    for (const h of view.hunks) {
      const newLines = linesOf(h, '+');
      const warn = p.warnings.length ? `\n\n⚠ **Uncertain placement:** ${p.warnings.join(' · ')}` : '';
      const hover = new vscode.MarkdownString(`**Ponder proposes** (${p.label}):\n\n${newLines.length ? fenced(newLines.join('\n'), lang) : '_delete these lines_'}${warn}`);
      const start = hunkLine(h);
      for (let l = start; l < start + h.oldLines && l < doc.lineCount; l++) removed.push({ range: doc.lineAt(l).range, hoverMessage: hover });
      const anchorLine = Math.min(doc.lineCount - 1, h.oldLines ? start + h.oldLines - 1 : Math.max(0, start - 1));
      const summary = newLines.length ? `→ ${newLines.find((l) => l.trim())?.trim().slice(0, 60) ?? ''}${newLines.length > 1 ? ` (+${newLines.length - 1} more lines)` : ''}` : '→ (deleted)';
      const end = doc.lineAt(anchorLine).range.end;
      added.push({ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: `Ponder: ${summary}` } } });
    }
    editor.setDecorations(this.removed, removed);
    editor.setDecorations(this.added, added);
  }

  dispose(): void {
    this.removed.dispose();
    this.added.dispose();
    this.note.dispose();
  }
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function linesOf(h: Hunk, sign: '+' | '-'): string[] {
  return h.lines.filter((l) => l[0] === sign).map((l) => l.slice(1));
}
