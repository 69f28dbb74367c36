/**
 * The curated catalogue of distilled DeepSeek-R1 GGUF models (unsloth's quantizations on the Hugging Face hub).
 * Sizes are the hub listings in decimal GB; `approximate` ones are shown with "≈" and the real size is taken
 * from the hub when a download starts.
 */

export type Quant = 'Q3_K_M' | 'Q4_K_M' | 'Q5_K_M' | 'Q8_0';

export const DEFAULT_QUANT: Quant = 'Q4_K_M';

export interface QuantFile {
  readonly quant: Quant;
  readonly sizeBytes: number;
  /** The size is an estimate (≈): the hub's own figure replaces it when downloading. */
  readonly approximate: boolean;
}

export interface CatalogueModel {
  /** Stable id usable in `ponder.model`, e.g. "qwen-7b" (or "qwen-7b:Q8_0" for another quantization). */
  readonly id: string;
  /** The `<name>` part of the repository and file names, e.g. "Qwen-7B". */
  readonly name: string;
  readonly paramsBillions: number;
  /** Reasoning quality rank (DeepSeek's benchmarks): Qwen-7B and Llama-8B are on a par. */
  readonly tier: number;
  readonly goodFor: string;
  /** Hugging Face repository holding the GGUF files. */
  readonly repo: string;
  /** What the KV cache costs per token: 2 (K and V) × layers × KV heads × head size × 2 bytes (f16). */
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly quants: readonly QuantFile[];
}

const GB = 1e9;
const q = (quant: Quant, gb: number, approximate = true): QuantFile => ({ quant, sizeBytes: Math.round(gb * GB), approximate });

function model(name: string, paramsBillions: number, tier: number, goodFor: string, arch: { layers: number; kvHeads: number; headDim: number }, quants: QuantFile[]): CatalogueModel {
  return { id: name.toLowerCase(), name, paramsBillions, tier, goodFor, repo: `unsloth/DeepSeek-R1-Distill-${name}-GGUF`, ...arch, quants };
}

export const CATALOGUE: readonly CatalogueModel[] = [
  model('Qwen-1.5B', 1.5, 1, 'Runs on any laptop: quick explanations and small fixes; the weakest reasoner.', { layers: 28, kvHeads: 2, headDim: 128 },
    [q('Q4_K_M', 1.12, false), q('Q3_K_M', 0.924), q('Q5_K_M', 1.29), q('Q8_0', 1.89)]),
  model('Qwen-7B', 7, 2, 'Everyday coding questions on a 16 GB machine; solid math and logic.', { layers: 28, kvHeads: 4, headDim: 128 },
    [q('Q4_K_M', 4.68, false), q('Q3_K_M', 3.81), q('Q5_K_M', 5.44), q('Q8_0', 8.1)]),
  model('Llama-8B', 8, 2, 'Like Qwen-7B, with Llama’s broader general knowledge.', { layers: 32, kvHeads: 8, headDim: 128 },
    [q('Q4_K_M', 4.92), q('Q3_K_M', 4.02), q('Q5_K_M', 5.73), q('Q8_0', 8.54)]),
  model('Qwen-14B', 14, 3, 'Clearly better reasoning on harder bugs; 16 GB of free memory or a 12 GB GPU.', { layers: 48, kvHeads: 8, headDim: 128 },
    [q('Q4_K_M', 9.0), q('Q3_K_M', 7.34), q('Q5_K_M', 10.5), q('Q8_0', 15.7)]),
  model('Qwen-32B', 32, 4, 'The best distill per byte: near o1-mini reasoning; 32 GB RAM or a 24 GB GPU.', { layers: 64, kvHeads: 8, headDim: 128 },
    [q('Q4_K_M', 19.9), q('Q3_K_M', 15.9), q('Q5_K_M', 23.3), q('Q8_0', 34.8)]),
  model('Llama-70B', 70, 5, 'The strongest distill, for workstations with 64 GB+ of RAM or several GPUs.', { layers: 80, kvHeads: 8, headDim: 128 },
    [q('Q4_K_M', 42.5), q('Q3_K_M', 34.3)]),
];

export interface CatalogueChoice {
  readonly model: CatalogueModel;
  readonly file: QuantFile;
}

export function catalogueFileName(m: CatalogueModel, quant: Quant): string {
  return `DeepSeek-R1-Distill-${m.name}-${quant}.gguf`;
}

/** The direct-file `hf:` URI of a catalogue file (what the downloader fetches). */
export function catalogueUri(m: CatalogueModel, quant: Quant): string {
  return `hf:${m.repo}/${catalogueFileName(m, quant)}`;
}

/** The `ponder.model` value for a choice: "qwen-7b" for the default quantization, "qwen-7b:Q8_0" otherwise. */
export function catalogueRef(m: CatalogueModel, quant: Quant): string {
  return quant === DEFAULT_QUANT ? m.id : `${m.id}:${quant}`;
}

/** "qwen-7b", "Qwen-7B:q8_0", … → the catalogue choice, or undefined if the text names no catalogue entry. */
export function findCatalogue(ref: string): CatalogueChoice | undefined {
  const m = /^([a-z]+-\d+(?:\.\d+)?b)(?::([a-z0-9_]+))?$/i.exec(ref.trim());
  if (!m) return undefined;
  const entry = CATALOGUE.find((c) => c.id === m[1].toLowerCase());
  const quant = (m[2] ?? DEFAULT_QUANT).toUpperCase();
  const file = entry?.quants.find((f) => f.quant === quant);
  return entry && file ? { model: entry, file } : undefined;
}

/** The catalogue entry a file name belongs to (so a downloaded file shows its catalogue name). */
export function catalogueByFileName(fileName: string): CatalogueChoice | undefined {
  for (const m of CATALOGUE) {
    for (const f of m.quants) if (catalogueFileName(m, f.quant).toLowerCase() === fileName.toLowerCase()) return { model: m, file: f };
  }
  return undefined;
}

/** A short display name, e.g. "R1 Qwen-7B Q4_K_M". */
export function catalogueLabel(c: CatalogueChoice): string {
  return `R1 ${c.model.name} ${c.file.quant}`;
}
