/**
 * What the panel will send along with the next prompt, as removable chips: the active file, its selection, its
 * problems, and files added with `@` mentions. Tracks the last text editor (focus moves to the panel when typing).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextChip } from '../../core/protocol/panel';
import { WORKSPACE_CHIP_ID, WORKSPACE_MENTION, type WorkspaceChip } from '../repomap/workspace-chip';

const MAX_FILE_LINES = 400;

export class ContextChips implements vscode.Disposable {
  private editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly removed = new Set<string>();
  private mentions: vscode.Uri[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The chips last announced: cursor moves and diagnostics churn only reach the panel when a chip changes. */
  private shown = '';
  /** `@workspace` (the repository map), set at activation. */
  workspace: WorkspaceChip | undefined;

  constructor() {
    this.subscriptions.push(
      this.changed,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.uri.scheme === 'file') {
          this.editor = e;
          this.removed.clear();
          this.notify();
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === this.editor && this.notify()),
      vscode.languages.onDidChangeDiagnostics((e) => this.editor && e.uris.some((u) => u.toString() === this.editor?.document.uri.toString()) && this.notify()),
    );
  }

  notify(): void {
    const now = this.chips().map((c) => `${c.id}\t${c.label}`).join('\n');
    if (now === this.shown) return;
    this.shown = now;
    this.changed.fire();
  }

  /** The editor "Insert at cursor" targets: the last focused text editor. */
  get lastEditor(): vscode.TextEditor | undefined {
    return this.editor && !this.editor.document.isClosed ? this.editor : undefined;
  }

  chips(): ContextChip[] {
    const out: ContextChip[] = [];
    const e = this.lastEditor;
    if (e) {
      const rel = vscode.workspace.asRelativePath(e.document.uri);
      out.push({ id: `file:${rel}`, kind: 'file', label: path.basename(rel), detail: `Active file ${rel}` });
      if (!e.selection.isEmpty) {
        const a = e.selection.start.line + 1;
        const b = e.selection.end.line + 1;
        out.push({ id: `selection:${rel}:${a}-${b}`, kind: 'selection', label: `${path.basename(rel)}:${a}-${b}`, detail: `Selected lines ${a}–${b}` });
      }
      const problems = vscode.languages.getDiagnostics(e.document.uri).length;
      if (problems) out.push({ id: `diagnostics:${rel}`, kind: 'diagnostics', label: `${problems} problem${problems > 1 ? 's' : ''}`, detail: `Problems in ${rel}` });
    }
    for (const u of this.mentions) {
      const rel = vscode.workspace.asRelativePath(u);
      out.push({ id: `mention:${rel}`, kind: 'file', label: `@${path.basename(rel)}`, detail: rel });
    }
    const ws = this.workspace?.chip();
    return [...out.filter((c) => !this.removed.has(c.id)), ...(ws ? [ws] : [])];
  }

  /** Clicking a chip: the `@workspace` chip shows the map. */
  async open(id: string): Promise<void> {
    if (id === WORKSPACE_CHIP_ID) await this.workspace?.show();
  }

  remove(id: string): void {
    if (id === WORKSPACE_CHIP_ID) return this.workspace?.remove();
    const before = this.mentions.length;
    this.mentions = this.mentions.filter((u) => `mention:${vscode.workspace.asRelativePath(u)}` !== id);
    if (this.mentions.length === before) this.removed.add(id);
    this.notify();
  }

  /** Workspace files whose path contains `query` (for `@` completion). */
  async search(query: string, max = 20): Promise<string[]> {
    const safe = query.replace(/[^\w./-]/g, '');
    const found = await vscode.workspace.findFiles(`**/*${safe}*`, '**/{node_modules,.git,dist,out,.cache}/**', max);
    const files = found.map((u) => vscode.workspace.asRelativePath(u)).sort();
    return this.workspace && query && WORKSPACE_MENTION.startsWith(`@${query.toLowerCase()}`) ? [WORKSPACE_MENTION, ...files] : files;
  }

  /** Adds a mentioned file; only files inside the workspace. */
  async addFile(relPath: string): Promise<boolean> {
    if (relPath === WORKSPACE_MENTION && this.workspace) {
      this.workspace.add();
      return true;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || path.isAbsolute(relPath) || relPath.split(/[\\/]/).includes('..')) return false;
    const uri = vscode.Uri.joinPath(folder.uri, relPath);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return false;
    }
    if (!this.mentions.some((u) => u.toString() === uri.toString())) this.mentions.push(uri);
    this.notify();
    return true;
  }

  /** The prompt with the chips' content appended; mentions are consumed by the send. */
  async attach(prompt: string): Promise<string> {
    const chips = this.chips();
    const parts: string[] = [];
    const e = this.lastEditor;
    const has = (kind: ContextChip['kind']) => chips.some((c) => c.kind === kind && !c.id.startsWith('mention:'));
    if (e && has('file')) {
      const rel = vscode.workspace.asRelativePath(e.document.uri);
      parts.push(fileBlock(rel, e.document.languageId, e.document.getText()));
    }
    if (e && has('selection') && !e.selection.isEmpty) {
      parts.push(`Selected lines ${e.selection.start.line + 1}–${e.selection.end.line + 1}:\n\`\`\`${e.document.languageId}\n${e.document.getText(e.selection)}\n\`\`\``);
    }
    if (e && has('diagnostics')) {
      const ds = vscode.languages.getDiagnostics(e.document.uri).slice(0, 20);
      parts.push(`Problems:\n${ds.map((d) => `- line ${d.range.start.line + 1}: ${d.message}`).join('\n')}`);
    }
    const attached: string[] = e && has('file') ? [vscode.workspace.asRelativePath(e.document.uri, false)] : [];
    for (const u of this.mentions) {
      if (!chips.some((c) => c.id === `mention:${vscode.workspace.asRelativePath(u)}`)) continue;
      const doc = await vscode.workspace.openTextDocument(u);
      parts.push(fileBlock(vscode.workspace.asRelativePath(u), doc.languageId, doc.getText()));
      attached.push(vscode.workspace.asRelativePath(u, false));
    }
    // The map (chip or `@workspace` in the text) comes last, personalised to the question and the files above.
    const map = await this.workspace?.attach(prompt, attached, attached).catch(() => undefined);
    if (map) parts.push(map);
    this.mentions = [];
    this.notify();
    return parts.length ? `${prompt}\n\n---\nContext from the editor:\n\n${parts.join('\n\n')}` : prompt;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

function fileBlock(rel: string, lang: string, text: string): string {
  const lines = text.split('\n');
  const shown = lines.length > MAX_FILE_LINES ? `${lines.slice(0, MAX_FILE_LINES).join('\n')}\n… (${lines.length - MAX_FILE_LINES} more lines not shown)` : text;
  return `File \`${rel}\`:\n\`\`\`${lang}\n${shown}\n\`\`\``;
}
