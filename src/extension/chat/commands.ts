/** Palette commands. Each one is small and delegates to the chat controller or the engine host. */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { toAbortSignal } from '../engine/cancellation';
import { chatToMarkdown } from './chat-store';
import { log } from '../log';

export function registerCommands(ctx: PonderContext): void {
  const { vscodeContext, chat, panel } = ctx;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => vscodeContext.subscriptions.push(vscode.commands.registerCommand(id, fn));

  /** `ponder.ask [prompt]`: asks about the selection (if any) or a typed question; shows the turn in the panel. */
  reg('ponder.ask', async (arg?: unknown) => {
    let prompt = typeof arg === 'string' ? arg : undefined;
    if (prompt === undefined) {
      prompt = await vscode.window.showInputBox({ prompt: 'Ask Ponder', placeHolder: 'What should the model think about?' });
      if (!prompt) return undefined;
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      if (selected) prompt = `${prompt}\n\n\`\`\`${editor?.document.languageId ?? ''}\n${selected}\n\`\`\``;
    }
    await panel.reveal();
    const question = prompt;
    // A cancellable notification too, for users who keep the panel closed: Cancel = Stop.
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Ponder is thinking…', cancellable: true }, async (_p, token) => {
      const cancel = toAbortSignal(token);
      try {
        return (await chat.send(question, question, cancel.signal)).outcome;
      } finally {
        cancel.dispose();
      }
    });
  });
  reg('ponder.stop', () => chat.stop());
  reg('ponder.answerNow', () => chat.answerNow());
  reg('ponder.newChat', () => {
    chat.newChat();
    ctx.postState();
  });
  reg('ponder.showLogs', () => log.show());
  /** `ponder.showReasoning turnId start end`: the "Why?" link of a proposed change → that passage in the panel. */
  reg('ponder.showReasoning', async (turnId?: unknown, start?: unknown, end?: unknown) => {
    if (typeof turnId !== 'string' || typeof start !== 'number' || typeof end !== 'number' || start < 0 || end < start) return false;
    if (!chat.snapshot().some((t) => t.id === turnId)) {
      void vscode.window.showInformationMessage('Ponder: the chat with that reasoning is no longer open (reopen it with "Ponder: Open Chat…").');
      return false;
    }
    await panel.reveal();
    panel.post({ type: 'panel/highlightReasoning', turnId, start, end });
    return true;
  });
  /** Reopen a past chat of this workspace. */
  reg('ponder.openChat', async (id?: unknown) => {
    const chats = ctx.store.list();
    const pick = typeof id === 'string' ? chats.find((c) => c.id === id) : await vscode.window.showQuickPick(
      chats.map((c) => ({ label: c.title, description: new Date(c.updatedAt).toLocaleString(), detail: `${c.turns.length} turn${c.turns.length === 1 ? '' : 's'}`, chat: c })),
      { placeHolder: chats.length ? 'Reopen a chat' : 'No saved chats in this workspace yet' },
    ).then((p) => p?.chat);
    if (!pick) return;
    chat.open(pick);
    ctx.postState();
    await panel.reveal();
  });
  /** Export the current chat as Markdown (reasoning folded in <details>) into an untitled editor. */
  reg('ponder.exportChat', async () => {
    const current = chat.current();
    if (!current.turns.length) {
      void vscode.window.showInformationMessage('Ponder: this chat is empty; nothing to export.');
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: chatToMarkdown(current) });
    await vscode.window.showTextDocument(doc);
    return doc.getText();
  });
}
