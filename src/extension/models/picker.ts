/**
 * `ponder.selectModel`: downloaded models, resumable downloads, the catalogue with a recommendation for this machine,
 * a local .gguf file, or any hf: URI (typed into the picker or entered in a box).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CATALOGUE, DEFAULT_QUANT, catalogueByFileName, catalogueFileName, catalogueLabel, catalogueRef } from '../../core/models/catalogue';
import { formatBytes } from '../../core/models/format';
import { looksLikeHfUri, parseHfUri } from '../../core/models/hf-uri';
import { assessCatalogue, draftFits, type SystemMemory } from '../../core/models/recommend';
import { autoDraftVerdict, downloadedDraft, draftFor } from '../../core/speculation/pairing';
import type { PonderContext } from '../context';
import { configuredModelPath, modelLabel } from './resolve';
import type { ModelStore } from './store';
import type { ModelSwitcher, SelectOutcome } from './switcher';
import { cachedMemory, systemMemory } from './system-memory';

type Action =
  | { readonly kind: 'ref'; readonly ref: string }
  | { readonly kind: 'browse' }
  | { readonly kind: 'enterUri' }
  | { readonly kind: 'quants' }
  /** Download a draft model for the current one (speculative decoding); the main model stays. */
  | { readonly kind: 'draft'; readonly ref: string; readonly forLabel: string }
  | { readonly kind: 'manage' };

type Item = vscode.QuickPickItem & { readonly action?: Action };

const separator = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator });

const PICKER_TITLE = 'Ponder: Select Model';

export class ModelPicker {
  constructor(private readonly ctx: PonderContext, private readonly store: () => ModelStore, private readonly switcher: ModelSwitcher) {}

  async pick(): Promise<SelectOutcome> {
    const action = await this.choose();
    return action ? this.run(action) : { ok: false, reason: 'cancelled' };
  }

  private async run(action: Action): Promise<SelectOutcome> {
    switch (action.kind) {
      case 'ref':
        return this.switcher.select(action.ref);
      case 'draft':
        return this.switcher.downloadDraft(action.ref, action.forLabel);
      case 'manage':
        await vscode.commands.executeCommand('ponder.manageModels');
        return { ok: false, reason: 'cancelled' };
      case 'browse': {
        const files = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use this model', filters: { 'GGUF models': ['gguf'] }, title: 'Choose a DeepSeek-R1 distill .gguf file' });
        return files?.[0] ? this.switcher.select(files[0].fsPath) : { ok: false, reason: 'cancelled' };
      }
      case 'enterUri': {
        const uri = await vscode.window.showInputBox({
          title: 'Download a model from Hugging Face',
          prompt: 'hf:<user>/<repo>:<quant> or hf:<user>/<repo>/<file>.gguf',
          placeHolder: 'hf:unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF:Q4_K_M',
          validateInput: (v) => (v.trim() === '' ? undefined : (() => { const r = parseHfUri(v); return r.ok ? undefined : r.error; })()),
        });
        return uri?.trim() ? this.switcher.select(uri.trim()) : { ok: false, reason: 'cancelled' };
      }
      case 'quants': {
        const sub = await this.chooseQuant();
        return sub ? this.switcher.select(sub) : { ok: false, reason: 'cancelled' };
      }
    }
  }

  private async choose(): Promise<Action | undefined> {
    const qp = vscode.window.createQuickPick<Item>();
    // The placeholder never changes once shown: VS Code keeps the first one as the input's hover tooltip. The memory
    // check shows in the title and the busy bar instead.
    qp.title = PICKER_TITLE;
    qp.placeholder = 'Choose a model, or type a .gguf path or an hf: URI';
    qp.matchOnDescription = true;
    const memory = cachedMemory();
    let base: Item[] = await this.items(memory);
    qp.items = base;
    if (!memory) {
      qp.title = `${PICKER_TITLE} (checking this machine’s memory for a recommendation…)`;
      qp.busy = true;
      void systemMemory(this.ctx.vscodeContext.extensionPath).then(async (m) => {
        base = await this.items(m);
        qp.items = [...typed(qp.value), ...base];
        qp.title = PICKER_TITLE;
        qp.busy = false;
      });
    }
    qp.onDidChangeValue((v) => (qp.items = [...typed(v), ...base]));
    qp.show();
    const action = await new Promise<Action | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]?.action));
      qp.onDidHide(() => resolve(undefined));
    });
    qp.dispose();
    return action;
  }

  private current(): string | undefined {
    return this.ctx.engine.activeModelPath ?? configuredModelPath(this.ctx.config);
  }

  private async items(memory: SystemMemory | undefined): Promise<Item[]> {
    const store = this.store();
    const [downloaded, partials] = await Promise.all([store.downloaded(), store.partials()]);
    const current = this.current();
    const items: Item[] = [];
    // The model in use comes first when it is not one of the downloads (a local file, or a remote engine).
    const isDownload = current !== undefined && downloaded.some((d) => path.resolve(d.path) === path.resolve(current));
    if (this.ctx.config.engineKind === 'openai-compatible') {
      items.push(separator('In use'), { label: `$(cloud) ${this.ctx.engine.status.engine?.name ?? 'remote engine'}`, description: 'in use · ponder.engine', detail: `OpenAI-compatible server at ${this.ctx.config.remoteBaseUrl}; choosing a model below switches to it` });
    } else if (current && !isDownload) {
      items.push(separator('In use'), { label: `$(pass-filled) ${modelLabel(current)}`, description: 'in use', detail: current, action: { kind: 'ref', ref: current } });
    }
    const draftName = this.ctx.engine.status.engine?.draft?.name;
    if (downloaded.length) {
      items.push(separator('Downloaded'));
      for (const d of downloaded) {
        const isCurrent = current !== undefined && path.resolve(current) === path.resolve(d.path);
        items.push({
          label: `${isCurrent ? '$(pass-filled)' : '$(check)'} ${d.label}`,
          description: `${formatBytes(d.sizeBytes)}${isCurrent ? ` · in use${draftName ? ` · drafts with ${draftName}` : ''}` : ''}`,
          detail: d.record ? `Verified (${d.record.verified === 'sha256' ? 'sha256' : 'size and header'}) · ${d.fileName}` : d.fileName,
          action: { kind: 'ref', ref: d.catalogue ? catalogueRef(d.catalogue.model, d.catalogue.file.quant) : d.path },
        });
      }
    }
    if (partials.length) {
      items.push(separator('Unfinished downloads'));
      for (const p of partials) {
        const c = catalogueByFileName(p.fileName);
        const pct = p.totalBytes > 0 ? Math.floor((p.downloadedBytes / p.totalBytes) * 100) : 0;
        items.push({ label: `$(debug-continue) Resume ${p.label}`, description: `${pct}% of ${formatBytes(p.totalBytes)}`, detail: 'Continues where it stopped', action: { kind: 'ref', ref: c ? catalogueRef(c.model, c.file.quant) : p.uri } });
      }
    }
    const have = new Set(downloaded.map((d) => d.fileName.toLowerCase()));
    const assessments = memory ? assessCatalogue(memory) : undefined;
    const offer = current ? this.draftOffer(current, have, memory) : undefined;
    if (offer) items.push(separator('Faster answers'), offer);
    const rows = CATALOGUE.map((m) => {
      const file = m.quants.find((f) => f.quant === DEFAULT_QUANT) ?? m.quants[0];
      return { m, file, a: assessments?.find((x) => x.choice.model === m && x.choice.file === file) };
    }).filter((r) => !have.has(catalogueFileName(r.m, r.file.quant).toLowerCase()));
    rows.sort((x, y) => Number(y.a?.recommended ?? false) - Number(x.a?.recommended ?? false));
    if (rows.length) items.push(separator(memory ? 'Download' : 'Download (checking memory…)'));
    for (const { m, file, a } of rows) {
      const pairing = a?.draft && this.draftPaysOff(memory) ? ` Pairs with ${catalogueLabel(a.draft.choice)} as a draft model for faster answers (≈${formatBytes(a.draft.neededBytes)} together).` : '';
      items.push({
        label: `${a?.recommended ? '$(star-full)' : '$(cloud-download)'} ${catalogueLabel({ model: m, file })}`,
        description: `${formatBytes(file.sizeBytes, file.approximate)}${a?.recommended ? ' · recommended' : ''}`,
        detail: a ? `${a.reason} — ${m.goodFor}${pairing}` : m.goodFor,
        action: { kind: 'ref', ref: catalogueRef(m, file.quant) },
      });
    }
    items.push(separator('More'));
    items.push({ label: '$(list-unordered) Other quantizations…', detail: 'Q3_K_M (smaller), Q5_K_M and Q8_0 (closer to the original)', action: { kind: 'quants' } });
    items.push({ label: '$(file) Use a local .gguf file…', action: { kind: 'browse' } });
    items.push({ label: '$(link-external) Enter a Hugging Face URI…', detail: 'hf:<user>/<repo>:<quant> or hf:<user>/<repo>/<file>.gguf', action: { kind: 'enterUri' } });
    items.push({ label: '$(gear) Manage downloaded models…', action: { kind: 'manage' } });
    return items;
  }

  /**
   * The draft download for the model in use, when it has a catalogue pairing, the draft is not downloaded, speculative
   * decoding is on with `ponder.draftModel: "auto"`, and (when the memory is known) both fit.
   */
  private draftOffer(current: string, have: ReadonlySet<string>, memory: SystemMemory | undefined): Item | undefined {
    const { config } = this.ctx;
    if (config.speculative === 'off' || !['', 'auto'].includes(config.draftModelSetting.toLowerCase())) return undefined;
    const target = catalogueByFileName(path.basename(current));
    const draft = target && draftFor(target.model);
    const file = draft?.quants.find((f) => f.quant === DEFAULT_QUANT);
    if (!target || !draft || !file || downloadedDraft(target.model, have, catalogueFileName)) return undefined;
    const choice = { model: draft, file };
    if (memory && !draftFits(target, choice, memory)) return undefined;
    if (!this.draftPaysOff(memory)) return undefined;
    return {
      label: `$(zap) Download ${catalogueLabel(choice)} as a draft for ${catalogueLabel(target)}`,
      description: formatBytes(file.sizeBytes, file.approximate),
      detail: 'Speculative decoding: the small model drafts tokens and the big one checks them in one batch — the same answers, faster with a GPU or many CPU cores. Used automatically once downloaded (ponder.draftModel: auto).',
      action: { kind: 'draft', ref: catalogueRef(draft, file.quant), forLabel: catalogueLabel(target) },
    };
  }

  /**
   * Whether `ponder.draftModel: auto` would load a draft on this machine, so the picker offers pairings only there (the
   * worker decides with the real thread count and GPU layers). Unknown memory: offered.
   */
  private draftPaysOff(memory: SystemMemory | undefined): boolean {
    if (!memory) return true;
    return autoDraftVerdict({ gpu: memory.gpu, gpuLayers: memory.gpu === false ? 0 : 1, threads: this.ctx.config.threads || os.availableParallelism() }).use;
  }

  private async chooseQuant(): Promise<string | undefined> {
    const memory = await systemMemory(this.ctx.vscodeContext.extensionPath);
    const items: Item[] = [];
    for (const a of assessCatalogue(memory)) {
      if (a.choice.file.quant === DEFAULT_QUANT) continue;
      items.push({
        label: catalogueLabel(a.choice),
        description: formatBytes(a.choice.file.sizeBytes, a.choice.file.approximate),
        detail: a.reason,
        action: { kind: 'ref', ref: catalogueRef(a.choice.model, a.choice.file.quant) },
      });
    }
    const pick = await vscode.window.showQuickPick(items, { title: 'Ponder: Other Quantizations', placeHolder: 'Q3_K_M is smaller and less accurate; Q8_0 is closest to the original', matchOnDescription: true });
    return pick?.action?.kind === 'ref' ? pick.action.ref : undefined;
  }
}

/** What the user typed, as an item: a .gguf path to use or an hf: URI to download. */
function typed(value: string): Item[] {
  const v = value.trim();
  if (looksLikeHfUri(v)) {
    const r = parseHfUri(v);
    return r.ok ? [{ label: `$(cloud-download) Download ${r.value.uri}`, alwaysShow: true, action: { kind: 'ref', ref: r.value.uri } }] : [{ label: `$(error) ${r.error}`, alwaysShow: true }];
  }
  if (/\.gguf$/i.test(v) && (path.isAbsolute(v) || v.startsWith('~/'))) return [{ label: `$(file) Use ${v}`, alwaysShow: true, action: { kind: 'ref', ref: v } }];
  return [];
}
