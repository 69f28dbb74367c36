/**
 * Where a failed verification shows in the editor: a CodeLens on the changed lines (what failed · Repair · Undo)
 * and a "Repair with Ponder" code action on each new problem it found.
 */
import * as vscode from 'vscode';
import { lineChanges } from '../../core/verify';
import type { Verifier } from './verifier';

const REPAIR_KIND = vscode.CodeActionKind.QuickFix.append('ponder').append('repair');

export class VerificationLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly verifier: Verifier) {
    verifier.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return this.verifier.failedFor(doc.uri).flatMap(({ id, file, summary }) => {
      const first = lineChanges(file.original, doc.getText())[0];
      const line = Math.min(first?.newStart ?? summary.problems[0]?.line ?? 0, Math.max(0, doc.lineCount - 1));
      const range = new vscode.Range(line, 0, line, 0);
      const what = summary.text.replace(/^✗ /, '');
      return [
        new vscode.CodeLens(range, { title: `$(error) Ponder: ${what.length > 80 ? `${what.slice(0, 79)}…` : what}`, command: 'ponder.chat.focus', tooltip: summary.text }),
        new vscode.CodeLens(range, { title: 'Repair', command: 'ponder.repair', arguments: [id] }),
        new vscode.CodeLens(range, { title: 'Undo Ponder\'s change', command: 'ponder.undoChange', arguments: [id] }),
      ];
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class RepairCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [REPAIR_KIND] };

  constructor(private readonly verifier: Verifier) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(REPAIR_KIND) && !REPAIR_KIND.contains(context.only)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const { id, summary } of this.verifier.failedFor(doc.uri)) {
      const ds = context.diagnostics.filter((d) => summary.problems.some((p) => p.message === d.message && p.line === d.range.start.line));
      if (!ds.length) continue;
      const a = new vscode.CodeAction('Repair with Ponder (this came from Ponder\'s change)', REPAIR_KIND);
      a.diagnostics = ds;
      a.command = { title: a.title, command: 'ponder.repair', arguments: [id] };
      actions.push(a);
    }
    return actions;
  }
}
