/**
 * Which catalogue model drafts for which (speculative decoding), and whether a target and its draft fit in memory
 * together. Pairs share a tokenizer: the Qwen-1.5B distill drafts for the Qwen 7B/14B/32B distills (151,936 vs
 * 152,064 tokens: within llama.cpp's 128-token tolerance), the Llama-8B distill for Llama-70B.
 */
import { CATALOGUE, DEFAULT_QUANT, type CatalogueChoice, type CatalogueModel } from '../models/catalogue';

/** Target catalogue id → its draft's catalogue id. */
export const DRAFT_PAIRS: Readonly<Record<string, string>> = {
  'qwen-7b': 'qwen-1.5b',
  'qwen-14b': 'qwen-1.5b',
  'qwen-32b': 'qwen-1.5b',
  'llama-70b': 'llama-8b',
};

/** The catalogue model that drafts for `target`, if it has one. */
export function draftFor(target: CatalogueModel, catalogue: readonly CatalogueModel[] = CATALOGUE): CatalogueModel | undefined {
  const id = DRAFT_PAIRS[target.id];
  return id ? catalogue.find((m) => m.id === id) : undefined;
}

/**
 * The draft file to use among the downloaded ones (lower-case file names): the default quantization first, then the
 * smallest. Undefined when the target has no pairing or no draft file is downloaded.
 */
export function downloadedDraft(target: CatalogueModel, downloaded: ReadonlySet<string>, fileName: (m: CatalogueModel, quant: CatalogueChoice['file']['quant']) => string): CatalogueChoice | undefined {
  const draft = draftFor(target);
  if (!draft) return undefined;
  const files = [...draft.quants].sort((a, b) => Number(b.quant === DEFAULT_QUANT) - Number(a.quant === DEFAULT_QUANT) || a.sizeBytes - b.sizeBytes);
  const file = files.find((f) => downloaded.has(fileName(draft, f.quant).toLowerCase()));
  return file ? { model: draft, file } : undefined;
}

/** Where the main model runs, as the worker sees it once loaded: what decides whether an automatic draft pays off. */
export interface DraftHardware {
  /** node-llama-cpp's GPU type ('cuda', 'vulkan', 'metal') or false. */
  readonly gpu: string | false;
  /** Layers of the main model offloaded to the GPU. */
  readonly gpuLayers: number;
  /** CPU threads the main model's context uses. */
  readonly threads: number;
}

/**
 * With fewer CPU threads than this and no GPU, `ponder.draftModel: auto` leaves a downloaded draft unloaded. Measured
 * (bench/RESULTS.md, figure 9, 2 threads): a 7B target with a 1.5B draft ran at 0.90x with 70 % of drafts accepted and
 * 0.52x with none, because checking 5 tokens cost 1.7x one token and each drafted token 0.3x. Drafting needs a batch
 * that costs about one token: a GPU, or a CPU with cores to spare for the batch while decoding is bound by memory
 * bandwidth. 8 is a judgement, not a measurement (this machine has 2 cores); an explicit setting always loads the draft.
 */
export const AUTO_DRAFT_MIN_CPU_THREADS = 8;

/** Whether `auto` attaches its draft on this hardware; when not, a short reason for the status line and a long one for the log. */
export function autoDraftVerdict(h: DraftHardware): { readonly use: true } | { readonly use: false; readonly short: string; readonly why: string } {
  if (h.gpu !== false && h.gpuLayers > 0) return { use: true };
  if (h.threads >= AUTO_DRAFT_MIN_CPU_THREADS) return { use: true };
  const threads = `${h.threads} CPU thread${h.threads === 1 ? '' : 's'}`;
  return {
    use: false,
    short: `not used on ${threads}`,
    why: `the model runs on ${threads} without a GPU, where drafting measured slower than the model alone (0.90x with 70 % of drafts accepted, 2 threads). ` +
      `\`ponder.draftModel: auto\` uses a draft with a GPU or ${AUTO_DRAFT_MIN_CPU_THREADS}+ threads; set \`ponder.draftModel\` to the draft's id or path to use it anyway.`,
  };
}
