/**
 * Turns `ponder.draftModel` into the draft file to load next to the main model: `none`, `auto` (the catalogue pairing,
 * when the draft is downloaded and both fit this machine's RAM/VRAM), or a catalogue id / hf: URI / path resolved
 * like `ponder.model`. Free of `vscode`; the same answer every time for the same files, so the engine key is stable.
 */
import { readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { catalogueByFileName, catalogueFileName, catalogueLabel } from '../../core/models/catalogue';
import { draftFits, type SystemMemory } from '../../core/models/recommend';
import { downloadedDraft, draftFor } from '../../core/speculation/pairing';
import { resolveEnv, resolveModelSetting, type ModelSettings } from './resolve';

export interface DraftSettings extends Omit<ModelSettings, 'modelSetting'> {
  /** `ponder.draftModel`, trimmed: '' and 'auto' mean auto. */
  readonly draftModelSetting: string;
  /** `ponder.speculative`: 'off' loads no draft at all. */
  readonly speculative: 'auto' | 'off';
}

export type DraftChoice =
  | { readonly kind: 'none'; readonly why: string }
  | { readonly kind: 'file'; readonly path: string; readonly label: string; readonly auto: boolean }
  /** An explicit setting that cannot be used (not downloaded, invalid): the main model runs alone, with this said. */
  | { readonly kind: 'problem'; readonly message: string };

/**
 * The memory `auto` pairs against: the machine's total RAM (a stable figure — free memory changes with the loaded
 * model itself and would flip the pairing, and so reload the model, from one request to the next).
 */
export function stableMemory(): SystemMemory {
  const total = os.totalmem();
  return { totalRamBytes: total, freeRamBytes: total, gpu: false, vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false };
}

function downloadedNames(folder: string): Set<string> {
  try {
    return new Set(readdirSync(folder).map((n) => n.toLowerCase()));
  } catch {
    return new Set();
  }
}

export function configuredDraft(config: DraftSettings, targetPath: string, memory: SystemMemory = stableMemory()): DraftChoice {
  if (config.speculative === 'off') return { kind: 'none', why: '`ponder.speculative` is off' };
  const raw = config.draftModelSetting;
  if (raw.toLowerCase() === 'none') return { kind: 'none', why: '`ponder.draftModel` is "none"' };
  const target = catalogueByFileName(path.basename(targetPath));
  if (raw === '' || raw.toLowerCase() === 'auto') {
    if (!target) return { kind: 'none', why: 'the model is not a catalogue distill with a known draft' };
    const pairing = draftFor(target.model);
    if (!pairing) return { kind: 'none', why: `${catalogueLabel(target)} has no smaller distill of its family to draft with` };
    const draft = downloadedDraft(target.model, downloadedNames(config.downloadFolder), catalogueFileName);
    if (!draft) return { kind: 'none', why: `the draft for ${catalogueLabel(target)} (R1 ${pairing.name}) is not downloaded` };
    if (!draftFits(target, draft, memory)) return { kind: 'none', why: `${catalogueLabel(target)} and its draft do not both fit in this machine's memory` };
    return { kind: 'file', path: path.join(config.downloadFolder, catalogueFileName(draft.model, draft.file.quant)), label: catalogueLabel(draft), auto: true };
  }
  const r = resolveModelSetting(raw, resolveEnv(config), 'ponder.draftModel');
  switch (r.kind) {
    case 'none':
      return { kind: 'none', why: '`ponder.draftModel` is empty' };
    case 'file':
      if (path.resolve(r.path) === path.resolve(targetPath)) return { kind: 'problem', message: '`ponder.draftModel` names the main model itself: a draft must be a smaller model of the same family. Ponder answers without a draft model.' };
      return { kind: 'file', path: r.path, label: r.label, auto: false };
    case 'missing':
      return { kind: 'problem', message: `Draft model: ${r.message} Ponder answers without a draft model until then.` };
    case 'invalid':
      return { kind: 'problem', message: `${r.message} Ponder answers without a draft model.` };
  }
}
