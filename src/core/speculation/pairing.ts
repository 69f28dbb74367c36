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
