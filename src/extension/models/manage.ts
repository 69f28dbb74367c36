/** `ponder.manageModels`: downloaded models with their sizes — use, delete, reveal — and unfinished downloads. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { catalogueByFileName, catalogueRef } from '../../core/models/catalogue';
import { formatBytes } from '../../core/models/format';
import type { PonderContext } from '../context';
import type { ModelStore } from './store';
import type { ModelSwitcher } from './switcher';

type Item = vscode.QuickPickItem & { readonly run?: () => Thenable<unknown> };

export class ModelManager {
  constructor(private readonly ctx: PonderContext, private readonly store: () => ModelStore, private readonly switcher: ModelSwitcher) {}

  async show(): Promise<void> {
    const store = this.store();
    const [downloaded, partials] = await Promise.all([store.downloaded(), store.partials()]);
    const active = this.ctx.engine.activeModelPath;
    const draft = this.ctx.engine.activeDraftPath;
    const total = downloaded.reduce((n, d) => n + d.sizeBytes, 0);
    const items: Item[] = [{ label: `Downloaded models · ${formatBytes(total)} in ${store.folder}`, kind: vscode.QuickPickItemKind.Separator }];
    for (const d of downloaded) {
      const inUse = active !== undefined && path.resolve(active) === path.resolve(d.path);
      const drafting = draft !== undefined && path.resolve(draft) === path.resolve(d.path);
      const ref = d.catalogue ? catalogueRef(d.catalogue.model, d.catalogue.file.quant) : d.path;
      items.push({
        label: `${inUse ? '$(pass-filled)' : drafting ? '$(zap)' : '$(database)'} ${d.label}`,
        description: `${formatBytes(d.sizeBytes)}${inUse ? ' · in use' : ''}${drafting ? ' · in use as the draft model' : ''}`,
        detail: d.fileName,
        buttons: [{ iconPath: new vscode.ThemeIcon('trash'), tooltip: `Delete ${d.label}` }],
        run: () => this.modelActions(d.fileName, d.label, ref, inUse, d.sizeBytes),
      });
    }
    if (!downloaded.length) items.push({ label: 'No models downloaded yet', detail: 'Choose one with "Ponder: Select Model"', run: () => vscode.commands.executeCommand('ponder.selectModel') });
    if (partials.length) items.push({ label: 'Unfinished downloads', kind: vscode.QuickPickItemKind.Separator });
    for (const p of partials) {
      const c = catalogueByFileName(p.fileName);
      items.push({
        label: `$(debug-pause) ${p.label}`,
        description: `${formatBytes(p.downloadedBytes)} of ${formatBytes(p.totalBytes)}`,
        run: async () => {
          const a = await vscode.window.showQuickPick(['Resume download', 'Discard'], { title: p.label });
          if (a === 'Resume download') return this.switcher.select(c ? catalogueRef(c.model, c.file.quant) : p.uri);
          if (a === 'Discard') return store.discardPartial(p.fileName);
          return undefined;
        },
      });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(folder-opened) Reveal the download folder', run: () => this.reveal(store.folder) });
    items.push({ label: '$(settings-gear) Change the download folder…', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'ponder.downloadFolder') });

    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'Ponder: Manage Models';
    qp.items = items;
    const chosen = await new Promise<Item | 'delete' | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]));
      qp.onDidTriggerItemButton((e) => {
        qp.selectedItems = [e.item];
        resolve('delete');
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    const target = chosen === 'delete' ? qp.selectedItems[0] : chosen;
    qp.dispose();
    if (chosen === 'delete' && target) {
      const d = downloaded.find((x) => target.detail === x.fileName);
      if (d) await this.delete(d.fileName, d.label, active !== undefined && path.resolve(active) === path.resolve(d.path), d.sizeBytes, draft !== undefined && path.resolve(draft) === path.resolve(d.path));
      return;
    }
    await target?.run?.();
  }

  private async modelActions(fileName: string, label: string, ref: string, inUse: boolean, size: number): Promise<unknown> {
    const actions = [...(inUse ? [] : ['Use this model']), 'Delete', 'Reveal in the download folder'];
    const a = await vscode.window.showQuickPick(actions, { title: label });
    if (a === 'Use this model') return this.switcher.select(ref);
    if (a === 'Delete') return this.delete(fileName, label, inUse, size, this.isDraft(fileName));
    if (a === 'Reveal in the download folder') return this.reveal(path.join(this.store().folder, fileName));
    return undefined;
  }

  private isDraft(fileName: string): boolean {
    const draft = this.ctx.engine.activeDraftPath;
    return draft !== undefined && path.basename(draft) === fileName && path.resolve(path.dirname(draft)) === path.resolve(this.store().folder);
  }

  private async delete(fileName: string, label: string, inUse: boolean, size: number, drafting = false): Promise<void> {
    if (inUse) {
      void vscode.window.showWarningMessage(`Ponder is using ${label}. Switch to another model ("Ponder: Select Model") before deleting it.`);
      return;
    }
    if (drafting) {
      void vscode.window.showWarningMessage(`Ponder uses ${label} as the draft model of the model in use. Set \`ponder.draftModel\` to "none" (or choose another model) before deleting it.`);
      return;
    }
    const ok = await vscode.window.showWarningMessage(`Delete ${label}? This frees ${formatBytes(size)}; you can download it again later.`, { modal: true }, 'Delete');
    if (ok !== 'Delete') return;
    await this.store().delete(fileName);
    void vscode.window.showInformationMessage(`Ponder: deleted ${label}.`);
  }

  private async reveal(target: string): Promise<void> {
    try {
      await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target));
    } catch {
      // Remote windows (code-server, SSH) cannot open the OS file manager: show the path instead.
      const c = await vscode.window.showInformationMessage(`Ponder’s models are in ${target}`, 'Copy Path');
      if (c) await vscode.env.clipboard.writeText(target);
    }
  }
}
