/** Acts on validated messages from the side panel. Everything here runs only after an explicit user action there. */
import * as vscode from 'vscode';
import { isSafeLink, type PanelToHost } from '../../core/protocol/panel';
import type { PonderContext } from '../context';
import type { EditFeatures } from '../edits';
import { checkEditable } from '../edits/workspace-guard';
import { log } from '../log';
import { errorMessage } from '../../core/result';

export async function handlePanelMessage(ctx: PonderContext, edits: Pick<EditFeatures, 'applyAnswerBlock'>, m: PanelToHost): Promise<void> {
  const { chat, chips, panel } = ctx;
  switch (m.type) {
    case 'panel/ready':
    case 'panel/heartbeat':
    case 'panel/pong':
      return; // liveness: PanelView and PanelWatch take these

    case 'panel/send': {
      // Every way this can fail before the turn starts gives the typed text back to the box, with the reason.
      const failed = (error: string) => {
        log.warn(`Not sent: ${error}`);
        panel.post({ type: 'panel/sendFailed', sendId: m.sendId, error });
      };
      let prompt: string;
      try {
        // Large attachments are cut with the model's own tokenizer (an estimate can be 3× off on minified text), so
        // then the model is loaded before the turn shows; small ones need no load first. A load failure is left for
        // the turn to report (with Retry), as before.
        if (!ctx.engine.loaded && chips.needsTokenizer()) await ctx.engine.ready().catch(() => undefined);
        const attached = await chips.attach(m.text);
        if (!attached.ok) return failed(attached.error);
        const fits = await chat.checkFits(attached.value);
        if (!fits.ok) return failed(fits.error);
        prompt = attached.value;
      } catch (e) {
        return failed(`Could not prepare the message: ${errorMessage(e)}`);
      }
      chips.consumeMentions();
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
    case 'panel/selectModel':
      await vscode.commands.executeCommand('ponder.selectModel');
      return;
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
      // Which file: the block's named file and the last editor first, or any workspace file; always previewed.
      await edits.applyAnswerBlock(m.turnId, m.blockIndex, async (suggested) => {
        const other = { label: '$(file) Choose another file…', uri: undefined };
        const picks = [...suggested.filter((uri) => checkEditable(uri).ok).map((uri) => ({ label: `$(edit) ${vscode.workspace.asRelativePath(uri)}`, description: uri.toString() === chips.lastEditor?.document.uri.toString() ? 'last active editor' : 'named in the answer', uri })), other];
        const pick = await vscode.window.showQuickPick(picks, { placeHolder: 'Apply the code block to which file?' });
        if (!pick) return undefined;
        if (pick.uri) return pick.uri;
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder) return undefined;
        // Only files Ponder may edit: a symlink leading out of the workspace would be refused after the pick.
        const files = (await chips.search('', 500)).filter((f) => checkEditable(vscode.Uri.joinPath(folder.uri, f)).ok);
        const chosen = await vscode.window.showQuickPick(files, { placeHolder: 'Workspace file to apply the code block to' });
        return chosen ? vscode.Uri.joinPath(folder.uri, chosen) : undefined;
      });
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
    case 'panel/openChip':
      return chips.open(m.id);
    case 'panel/mentionQuery':
      return panel.post({ type: 'panel/mentionResults', query: m.query, files: await chips.search(m.query) });
    case 'panel/addFile': {
      const added = await chips.addFile(m.path);
      if (!added.ok) panel.post({ type: 'panel/notice', text: added.error });
      return;
    }
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
