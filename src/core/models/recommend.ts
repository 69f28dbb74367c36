/**
 * Which catalogue models fit this machine, and which one to recommend, from the free RAM/VRAM that node-llama-cpp
 * reports (measured in the downloader process; the host never loads node-llama-cpp). Every verdict carries a reason.
 */
import { CATALOGUE, DEFAULT_QUANT, type CatalogueChoice, type CatalogueModel, type QuantFile } from './catalogue';
import { formatBytes } from './format';
import { draftFor } from '../speculation/pairing';

export interface SystemMemory {
  readonly totalRamBytes: number;
  /** Memory available for a new allocation now. */
  readonly freeRamBytes: number;
  /** The GPU backend in use ("cuda", "vulkan", "metal"), or false for CPU only. */
  readonly gpu: string | false;
  readonly vramTotalBytes: number;
  readonly vramFreeBytes: number;
  /** GPU memory shared with the CPU (Apple silicon): VRAM and RAM are one pool. */
  readonly unifiedMemory: boolean;
}

/** The context size recommendations are made for (Ponder's default cap). */
export const RECOMMEND_CONTEXT_TOKENS = 8192;
/** Compute buffers and runtime overhead on top of weights and KV cache. */
const OVERHEAD_BYTES = 300e6;
/** Without a GPU, models above this size think too slowly (a few tokens/s) to recommend. */
const CPU_MAX_PARAMS_B = 8;

export function kvCacheBytes(m: CatalogueModel, tokens: number): number {
  return 2 * m.layers * m.kvHeads * m.headDim * 2 * tokens;
}

/** Weights + an f16 KV cache for `tokens` + overhead. */
export function memoryNeeded(m: CatalogueModel, file: QuantFile, tokens = RECOMMEND_CONTEXT_TOKENS): number {
  return file.sizeBytes + kvCacheBytes(m, tokens) + OVERHEAD_BYTES;
}

/** A draft model's own memory: its weights, its KV cache for the same context, and a second set of compute buffers. */
export function draftMemoryNeeded(draft: CatalogueChoice, tokens = RECOMMEND_CONTEXT_TOKENS): number {
  return memoryNeeded(draft.model, draft.file, tokens);
}

export type Fit = 'gpu' | 'ram' | 'tight' | 'too-large';

export interface Assessment {
  readonly choice: CatalogueChoice;
  readonly neededBytes: number;
  readonly fit: Fit;
  /** Exactly one assessment (a Q4_K_M one) is recommended. */
  readonly recommended: boolean;
  /** One line: why it is (not) recommended. */
  readonly reason: string;
  /**
   * The draft model that would speed this one up (speculative decoding) and still fit next to it, with the memory
   * both need; undefined when the model has no pairing or the pair does not fit comfortably.
   */
  readonly draft?: { readonly choice: CatalogueChoice; readonly neededBytes: number };
}

/** Room the editor and the OS keep: 15% of RAM, at most 1.5 GB. */
function usableRam(mem: SystemMemory): number {
  return Math.max(0, mem.freeRamBytes - Math.min(1.5e9, mem.totalRamBytes * 0.15));
}

function fitOf(needed: number, mem: SystemMemory): Fit {
  const gpu = mem.gpu !== false && !mem.unifiedMemory ? mem.vramFreeBytes * 0.97 : 0;
  if (gpu > 0 && needed <= gpu) return 'gpu';
  if (needed <= usableRam(mem) + gpu) return 'ram';
  if (needed <= mem.totalRamBytes * 0.9 + gpu) return 'tight';
  return 'too-large';
}

/** The memory part of a verdict, short enough for one line of a picker. */
function describeFit(fit: Fit, needed: number, mem: SystemMemory): string {
  const need = `needs ≈${formatBytes(needed)}`;
  switch (fit) {
    case 'gpu': return `${need}, ${formatBytes(mem.vramFreeBytes)} of VRAM free`;
    case 'ram': return `${need}, ${formatBytes(mem.freeRamBytes)} free${mem.gpu === false ? ' (CPU)' : ''}`;
    case 'tight': return `${need}, only ${formatBytes(mem.freeRamBytes)} free now (close other programs)`;
    case 'too-large': return `${need}; this machine has ${formatBytes(mem.totalRamBytes)} of RAM${mem.gpu !== false && !mem.unifiedMemory ? ` and ${formatBytes(mem.vramTotalBytes)} of VRAM` : ''}`;
  }
}

/** Every catalogue file with its verdict; the recommended one is the best default-quantization model that fits comfortably. */
export function assessCatalogue(mem: SystemMemory, catalogue: readonly CatalogueModel[] = CATALOGUE): Assessment[] {
  const rows = catalogue.flatMap((m) => m.quants.map((file) => {
    const needed = memoryNeeded(m, file);
    return { choice: { model: m, file }, neededBytes: needed, fit: fitOf(needed, mem) };
  }));
  // Running mostly on the CPU is fine for small models only; bigger ones must fit in the GPU to be recommended.
  const tooSlow = (r: (typeof rows)[number]) => r.fit === 'ram' && r.choice.model.paramsBillions > CPU_MAX_PARAMS_B;
  const comfortable = (r: (typeof rows)[number]) => r.fit === 'gpu' || (r.fit === 'ram' && !tooSlow(r));
  const defaults = rows.filter((r) => r.choice.file.quant === DEFAULT_QUANT);
  const best = [...defaults].filter(comfortable).sort((a, b) => b.choice.model.tier - a.choice.model.tier || a.neededBytes - b.neededBytes)[0]
    ?? [...defaults].sort((a, b) => a.neededBytes - b.neededBytes)[0];
  return rows.map((r) => {
    const recommended = r === best;
    const fit = describeFit(r.fit, r.neededBytes, mem);
    let reason: string;
    if (recommended) reason = comfortable(r) ? `Recommended for this machine: ${fit}` : `The smallest model, but it ${fit}`;
    else if (tooSlow(r)) {
      const slow = `a ${r.choice.model.paramsBillions}B model thinks at a few tokens/s on a CPU`;
      reason = mem.gpu === false ? `Not recommended without a GPU: ${slow} (${fit})` : `Not recommended: too big for the GPU’s ${formatBytes(mem.vramFreeBytes)}, and ${slow}`;
    } else if (r.fit === 'tight' || r.fit === 'too-large') reason = `Not recommended: ${fit}`;
    else reason = `${r.fit === 'gpu' ? 'Fits in the GPU' : 'Fits'}: ${fit}`;
    return { ...r, recommended, reason, ...draftOption(r.choice, r.neededBytes, mem) };
  });
}

/** The target's draft at the default quantization, if target + draft still fit comfortably (GPU or RAM). */
export function draftOption(target: CatalogueChoice, targetBytes: number, mem: SystemMemory): Pick<Assessment, 'draft'> {
  const model = draftFor(target.model);
  const file = model?.quants.find((f) => f.quant === DEFAULT_QUANT);
  if (!model || !file) return {};
  const choice = { model, file };
  const neededBytes = targetBytes + draftMemoryNeeded(choice);
  const fit = fitOf(neededBytes, mem);
  return fit === 'gpu' || fit === 'ram' ? { draft: { choice, neededBytes } } : {};
}

/** Whether a draft fits next to its target now (what `ponder.draftModel: "auto"` checks before pairing them). */
export function draftFits(target: CatalogueChoice, draft: CatalogueChoice, mem: SystemMemory): boolean {
  const fit = fitOf(memoryNeeded(target.model, target.file) + draftMemoryNeeded(draft), mem);
  return fit === 'gpu' || fit === 'ram';
}

export function recommended(mem: SystemMemory, catalogue: readonly CatalogueModel[] = CATALOGUE): Assessment {
  const all = assessCatalogue(mem, catalogue);
  const r = all.find((a) => a.recommended);
  if (!r) throw new Error('the catalogue is empty');
  return r;
}
