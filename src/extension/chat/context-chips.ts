/**
 * What the panel will send along with the next prompt, as removable chips: the active file, its selection, its
 * problems, and files added with `@` mentions. Tracks the last text editor (focus moves to the panel when typing).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { charsPerToken, describeCut, neutralizeThinkTags, fileBlock, fileShare, fitFile, kb, looksBinary, machineWritten, MIN_FILE_TOKENS, type FileFit } from '../../core/chat/mentions';
import type { ContextChip } from '../../core/protocol/panel';
import { fail, type Result } from '../../core/protocol/validate';
import { WORKSPACE_CHIP_ID, WORKSPACE_MENTION, type WorkspaceChip } from '../repomap/workspace-chip';

/** A mentioned file as read when it was picked (re-read at send time). */
interface Mention {
  readonly uri: vscode.Uri;
  readonly rel: string;
  readonly text: string;
  readonly flag?: 'minified' | 'generated';
  /** Measured with the model's tokenizer when it was loaded at pick time; else the usual estimate. */
  readonly charsPerToken?: number;
}

/** Counts tokens with the loaded model's tokenizer. */
export type TokenCount = (text: string) => Promise<number>;

export class ContextChips implements vscode.Disposable {
  private editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly removed = new Set<string>();
  private mentions: Mention[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The chips last announced: cursor moves and diagnostics churn only reach the panel when a chip changes. */
  private shown = '';
  /** `@workspace` (the repository map), set at activation. */
  workspace: WorkspaceChip | undefined;

  /** The model's context size (the loaded engine's, else the setting's guess), to size each file's share. */
  constructor(private readonly contextSize: () => number, private readonly tokenizer: () => TokenCount | undefined = () => undefined) {
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
    const now = this.chips().map((c) => `${c.id}\t${c.label}\t${c.note ?? ''}`).join('\n');
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
    const share = this.share();
    if (e) {
      const rel = vscode.workspace.asRelativePath(e.document.uri);
      const fit = this.activeFit(e.document, share);
      out.push({ id: `file:${rel}`, kind: 'file', label: path.basename(rel), detail: `Active file ${rel}${fit.truncated ? ` (${describeCut(fit)}: larger than its share of the context)` : ''}`, note: fit.truncated ? describeCut(fit) : undefined });
      if (!e.selection.isEmpty) {
        const a = e.selection.start.line + 1;
        const b = e.selection.end.line + 1;
        out.push({ id: `selection:${rel}:${a}-${b}`, kind: 'selection', label: `${path.basename(rel)}:${a}-${b}`, detail: `Selected lines ${a}–${b}` });
      }
      const problems = vscode.languages.getDiagnostics(e.document.uri).length;
      if (problems) out.push({ id: `diagnostics:${rel}`, kind: 'diagnostics', label: `${problems} problem${problems > 1 ? 's' : ''}`, detail: `Problems in ${rel}` });
    }
    for (const m of this.mentions) {
      const fit = fitFile(m.text, share, m.charsPerToken);
      const note = [fit.truncated ? describeCut(fit) : '', m.flag ?? ''].filter(Boolean).join(' · ');
      const why = m.flag ? ` Looks ${m.flag}: its text rarely helps the model.` : '';
      out.push({ id: `mention:${m.rel}`, kind: 'file', label: `@${path.basename(m.rel)}`, detail: `${m.rel}${fit.truncated ? ` — only the ${describeCut(fit)} fit in the model's context.` : ''}${why}`, note: note || undefined });
    }
    const ws = this.workspace?.chip();
    return [...out.filter((c) => !this.removed.has(c.id)), ...(ws ? [ws] : [])];
  }

  /** Clicking a chip: the `@workspace` chip opens the map. */
  async open(id: string): Promise<void> {
    if (id === WORKSPACE_CHIP_ID) await this.workspace?.show();
  }

  /** Tokens each attached file may use now (active file and mentions share the room equally). */
  private share(extraFiles = 0, text = ''): number {
    const files = (this.lastEditor ? 1 : 0) + this.mentions.length + extraFiles;
    return fileShare(this.contextSize() - (this.workspace?.reserve(text) ?? 0), Math.max(1, files)); // the map's room first
  }

  private activeCache: { key: string; share: number; fit: FileFit } | undefined;

  /** The active file cut to its share; cached per document version (chips are recomputed on every cursor move). */
  private activeFit(doc: vscode.TextDocument, share: number): FileFit {
    const key = `${doc.uri.toString()}@${doc.version}`;
    if (this.activeCache?.key !== key || this.activeCache.share !== share) this.activeCache = { key, share, fit: fitFile(doc.getText(), share) };
    return this.activeCache.fit;
  }

  remove(id: string): void {
    if (id === WORKSPACE_CHIP_ID) return this.workspace?.remove();
    const before = this.mentions.length;
    this.mentions = this.mentions.filter((m) => `mention:${m.rel}` !== id);
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

  /** Adds a mentioned file: only text files inside the workspace that leave a useful share of the context. */
  async addFile(relPath: string): Promise<Result<string>> {
    if (relPath === WORKSPACE_MENTION && this.workspace) {
      this.workspace.add();
      return { ok: true, value: relPath };
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || path.isAbsolute(relPath) || relPath.split(/[\\/]/).includes('..')) return fail(`${relPath} is not a file in this workspace.`);
    const uri = vscode.Uri.joinPath(folder.uri, relPath);
    const read = await readMention(uri, relPath, this.tokenizer());
    if (!read.ok) return read;
    const share = this.share(this.mentions.some((m) => m.uri.toString() === uri.toString()) ? 0 : 1);
    if (share < MIN_FILE_TOKENS) {
      return fail(`${relPath} was not added: the model's ${this.contextSize().toLocaleString('en')}-token context has no room for another file (about ${share} tokens each with the files already attached). Remove a file chip first, or raise \`ponder.contextSize\`.`);
    }
    this.mentions = [...this.mentions.filter((m) => m.uri.toString() !== uri.toString()), read.value];
    this.notify();
    return { ok: true, value: relPath };
  }

  /**
   * The prompt with the chips' content appended, each file cut to its share (the cut is said in the prompt too).
   * Fails, naming the file, when a mention can no longer be read or no longer fits; nothing is consumed here.
   */
  async attach(prompt: string): Promise<Result<string>> {
    const chips = this.chips();
    const parts: string[] = [];
    const e = this.lastEditor;
    const share = this.share(0, prompt);
    const has = (kind: ContextChip['kind']) => chips.some((c) => c.kind === kind && !c.id.startsWith('mention:'));
    if (e && has('file')) {
      const rel = vscode.workspace.asRelativePath(e.document.uri);
      parts.push(fileBlock(rel, e.document.languageId, this.activeFit(e.document, share)));
    }
    if (e && has('selection') && !e.selection.isEmpty) {
      parts.push(`Selected lines ${e.selection.start.line + 1}–${e.selection.end.line + 1}:\n\`\`\`${e.document.languageId}\n${neutralizeThinkTags(e.document.getText(e.selection))}\n\`\`\``);
    }
    if (e && has('diagnostics')) {
      const ds = vscode.languages.getDiagnostics(e.document.uri).slice(0, 20);
      parts.push(`Problems:\n${ds.map((d) => `- line ${d.range.start.line + 1}: ${d.message}`).join('\n')}`);
    }
    const sent = this.mentions.filter((m) => chips.some((c) => c.id === `mention:${m.rel}`));
    if (sent.length && share < MIN_FILE_TOKENS) {
      return fail(`The attached files do not fit: the model's ${this.contextSize().toLocaleString('en')}-token context leaves about ${share} tokens per file. Remove a file chip, or raise \`ponder.contextSize\`.`);
    }
    const count = this.tokenizer();
    for (const m of sent) {
      const now = await readMention(m.uri, m.rel, count); // the file may have changed since it was picked
      if (!now.ok) return now;
      parts.push(fileBlock(m.rel, path.extname(m.rel).slice(1), await fitCounted(now.value.text, share, now.value.charsPerToken, count)));
    }
    // The map (chip, or `@workspace` in the text) comes last, personalised to the question and the files above.
    const inPrompt = [...(e && has('file') ? [vscode.workspace.asRelativePath(e.document.uri, false)] : []), ...sent.map((m) => m.rel)];
    const focus = [...new Set([...(e ? [vscode.workspace.asRelativePath(e.document.uri, false)] : []), ...sent.map((m) => m.rel)])];
    const map = await this.workspace?.attach(prompt, focus, inPrompt);
    if (map) parts.push(map);
    return { ok: true, value: parts.length ? `${prompt}\n\n---\nContext from the editor:\n\n${parts.join('\n\n')}` : prompt };
  }

  /** Whether the attached files are large enough that only the model's tokenizer can size them safely. */
  needsTokenizer(): boolean {
    const share = this.share();
    const e = this.lastEditor;
    const big = (chars: number) => chars / 3.2 > share / 3; // an estimate off by up to 3× would still fit
    return this.mentions.some((m) => big(m.text.length)) || (e !== undefined && big(e.document.getText().length));
  }

  /** After a successful send: mentions are for one message. */
  consumeMentions(): void {
    this.mentions = [];
    this.workspace?.consume();
    this.notify();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/** Cuts to the share, then checks with the real tokenizer (when loaded) and cuts further until it fits. */
async function fitCounted(text: string, share: number, cpt: number | undefined, count: TokenCount | undefined): Promise<FileFit> {
  let ratio = cpt ?? 3.2;
  let fit = fitFile(text, share, ratio);
  for (let i = 0; count && fit.truncated && i < 3; i++) {
    const real = await count(fit.text).catch(() => 0);
    if (real <= share) break;
    ratio = charsPerToken(fit.text, real) * 0.95;
    fit = fitFile(text, share, ratio);
  }
  return fit;
}

/** Reads a picked file; binary files are refused with a message that says so. */
async function readMention(uri: vscode.Uri, rel: string, count?: TokenCount): Promise<Result<Mention>> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return fail(`${rel} is a folder; mention a file inside it.`);
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return fail(`${rel} could not be read (it may have been moved or deleted).`);
  }
  if (looksBinary(bytes)) return fail(`${rel} is a binary file (${kb(bytes.length)}): Ponder can only attach text files.`);
  // Unsaved changes in an open editor are what the user sees, so they are what is sent.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : new TextDecoder().decode(bytes);
  const sample = text.slice(0, 4096);
  const tokens = count && sample ? await count(sample).catch(() => 0) : 0;
  return { ok: true, value: { uri, rel, text, flag: machineWritten(rel, text), charsPerToken: tokens ? charsPerToken(sample, tokens) : undefined } };
}
