/** Acts on validated messages from the side panel. Everything here runs only after an explicit user action there. */
import * as vscode from 'vscode';
import { isSafeLink, type PanelToHost } from '../../core/protocol/panel';
import type { PonderContext } from '../context';
import { log } from '../log';

export async function handlePanelMessage(ctx: PonderContext, m: PanelToHost): Promise<void> {
  const { chat, chips, panel } = ctx;
  switch (m.type) {
    case 'panel/ready':
      return;
    case 'panel/send': {
      const prompt = await chips.attach(m.text);
      await chat.send(prompt, m.text);
      return;
    }
    case 'panel/stop':
      return chat.stop();
    case 'panel/answerNow':
      return chat.answerNow();
    case 'panel/newChat':
      chat.newChat();
      return ctx.postState();
    case 'panel/retry':
      await chat.retry(m.turnId);
      return;
    case 'panel/copy':
      await vscode.env.clipboard.writeText(m.text);
      void vscode.window.setStatusBarMessage('Ponder: copied to the clipboard', 2000);
      return;
    case 'panel/insert': {
      const editor = chips.lastEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Ponder: open a file and place the cursor where the code should go, then click Insert again.');
        return;
      }
      await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      await editor.edit((b) => editor.selections.forEach((s) => b.replace(s, m.text)));
      return;
    }
    case 'panel/applyCode': {
      // Which file: the last editor by default, or any workspace file; the edits flow previews before writing.
      const last = chips.lastEditor?.document.uri;
      const other = { label: '$(file) Choose another file…', uri: undefined };
      const picks = [...(last ? [{ label: `$(edit) ${vscode.workspace.asRelativePath(last)}`, description: 'last active editor', uri: last }] : []), other];
      const pick = await vscode.window.showQuickPick(picks, { placeHolder: 'Apply the code block to which file?' });
      if (!pick) return;
      let uri = pick.uri;
      if (!uri) {
        const files = await chips.search('', 500);
        const chosen = await vscode.window.showQuickPick(files, { placeHolder: 'Workspace file to apply the code block to' });
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!chosen || !folder) return;
        uri = vscode.Uri.joinPath(folder.uri, chosen);
      }
      await vscode.commands.executeCommand('ponder.proposeFromAnswer', { uri: uri.toString(), answer: m.text, turnId: m.turnId });
      return;
    }
    case 'panel/openLink':
      if (!isSafeLink(m.href)) {
        log.warn(`Refused to open a link from model output: ${m.href}`);
        return;
      }
      if ((await vscode.window.showInformationMessage(`Open ${m.href}?`, { modal: true, detail: 'The link comes from the model’s answer.' }, 'Open')) === 'Open') {
        await vscode.env.openExternal(vscode.Uri.parse(m.href, true));
      }
      return;
    case 'panel/removeChip':
      return chips.remove(m.id);
    case 'panel/mentionQuery':
      return panel.post({ type: 'panel/mentionResults', query: m.query, files: await chips.search(m.query) });
    case 'panel/addFile':
      if (!(await chips.addFile(m.path))) void vscode.window.showWarningMessage(`Ponder: ${m.path} is not a file in this workspace.`);
      return;
    case 'panel/showHistory':
      await vscode.commands.executeCommand('ponder.openChat');
      return;
    case 'panel/exportChat':
      await vscode.commands.executeCommand('ponder.exportChat');
      return;
    case 'panel/verificationAction': {
      const command = m.action === 'repair' ? 'ponder.repair' : m.action === 'undo' ? 'ponder.undoChange' : 'ponder.stopVerification';
      await vscode.commands.executeCommand(command, m.verificationId);
      return;
    }
  }
}
