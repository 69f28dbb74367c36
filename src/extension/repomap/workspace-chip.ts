/**
 * `@workspace` in the chat: a removable chip showing the map's size in tokens (or why it is off), the map block
 * attached to the next prompt (personalised to the question, the active file and the mentions), and the map the
 * model received, which the chip opens.
 */
import * as vscode from 'vscode';
import type { ContextChip } from '../../core/protocol/panel';
import type { RenderedMapReply } from '../../core/protocol/repomap';
import { neutralizeThinkTags } from '../../core/chat/mentions';
import { requestIdentifiers, type Focus } from '../../core/repomap';
import type { RepoMap } from './repo-map';
import { MAX_MAP_FILES } from './repo-map';
import { errorMessage } from '../../core/result';

export const WORKSPACE_CHIP_ID = 'workspace';
/** What the user types (or picks from the @ completion) to add the map. */
export const WORKSPACE_MENTION = '@workspace';
const MENTIONED = /(^|\s)@workspace\b/;

export class WorkspaceChip implements vscode.Disposable {
  private added = false;
  private preview: RenderedMapReply | undefined;
  /** The map the model last received (the chip opens it). */
  private sent: string | undefined;
  private readonly sub: vscode.Disposable;

  constructor(private readonly map: RepoMap, private readonly budget: () => number, private readonly onChange: () => void, private readonly focusNow: () => Focus) {
    this.sub = map.onDidChangeState(() => {
      if (!this.added) return;
      this.preview = undefined;
      if (map.state.kind === 'ready') void this.refreshPreview();
      this.onChange();
    });
  }

  /** Adds the chip; the first use builds the map (with progress), then the chip shows the map's token count. */
  add(): void {
    this.added = true;
    this.onChange();
    void this.refreshPreview();
  }

  remove(): void {
    this.added = false;
    this.preview = undefined;
    this.onChange();
  }

  /** The chip is on, or the text says `@workspace`. */
  wanted(text: string): boolean {
    return this.added || MENTIONED.test(text);
  }

  private async refreshPreview(): Promise<void> {
    if (this.budget() <= 0 || this.map.unavailableReason()) return this.onChange();
    try {
      this.preview = await this.map.render(this.focusNow(), this.budget());
    } catch {
      this.preview = undefined;
    }
    this.onChange();
  }

  chip(): ContextChip | undefined {
    if (!this.added) return undefined;
    const base = { id: WORKSPACE_CHIP_ID, kind: 'workspace' as const };
    const off = this.map.unavailableReason() ?? (this.budget() <= 0 ? 'off (ponder.context.repoMapTokens is 0)' : undefined);
    if (off) return { ...base, label: `@workspace · ${off}`, detail: `The repository map is ${off}.` };
    const s = this.map.state;
    if (s.kind === 'building') return { ...base, label: `@workspace · indexing${s.total ? ` ${Math.floor((100 * s.done) / s.total)}%` : '…'}`, detail: 'Building the repository map (Cancel in the notification stops it).' };
    if (s.kind === 'unavailable') return { ...base, label: '@workspace · unavailable', detail: s.reason };
    const p = this.preview;
    if (s.kind !== 'ready' || !p) return { ...base, label: '@workspace', detail: 'The repository map: the most used declarations of this workspace.' };
    const capped = s.stats.capped ? ` · ${s.stats.files.toLocaleString('en-US')} of ${s.stats.candidates.toLocaleString('en-US')} files` : '';
    return {
      ...base,
      label: `@workspace · ${p.tokens.toLocaleString('en-US')} tokens${capped}`,
      detail: `Repository map: ${p.shownDefinitions} of ${p.totalDefinitions} declarations from ${p.files.length} files, about ${p.tokens} of ${this.budget()} tokens${s.stats.capped ? ` (only the first ${MAX_MAP_FILES} files of ${s.stats.candidates} are indexed)` : ''}. Click to see it.`,
    };
  }

  /** Tokens to keep free for the map in a message with this text (0 when the map is not wanted or off). */
  reserve(text: string): number {
    return this.wanted(text) && !this.map.unavailableReason() ? Math.max(0, this.budget()) : 0;
  }

  /**
   * The map block for a prompt, or undefined when not wanted or off. `focusFiles`: the active file and mentions;
   * `inPrompt`: files whose text is already attached (left out of the map). Nothing is consumed here.
   */
  async attach(question: string, focusFiles: readonly string[], inPrompt: readonly string[]): Promise<string | undefined> {
    if (!this.wanted(question)) return undefined;
    const budget = this.budget();
    const off = this.map.unavailableReason();
    if (off) void vscode.window.showInformationMessage(`Ponder: @workspace is ${off}; the question is sent without the repository map.`);
    if (budget <= 0 || off) return undefined;
    try {
      const map = await this.map.render({ files: focusFiles, identifiers: requestIdentifiers(question) }, budget, inPrompt);
      this.sent = map.text ? neutralizeThinkTags(map.text) : undefined; // a `<think>` in a signature must not steer R1
      return this.sent;
    } catch (e) {
      // A cancelled or failed build sends the question without the map, and says so.
      void vscode.window.showWarningMessage(`Ponder: the repository map is unavailable (${errorMessage(e)}); the question is sent without it.`);
      return undefined;
    }
  }

  /** After a successful send: the chip is for one message, like mentions. */
  consume(): void {
    if (!this.added) return;
    this.added = false;
    this.onChange();
  }

  /** Opens the map the model last received (or the current preview) in a read-only-style untitled editor. */
  async show(): Promise<void> {
    const text = this.sent ?? this.preview?.text;
    if (!text) {
      void vscode.window.showInformationMessage(`Ponder: ${this.map.unavailableReason() ? `the repository map is ${this.map.unavailableReason()}` : 'the repository map is not built yet'}.`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.sub.dispose();
  }
}
