// Types for generate-model.mjs (so TypeScript tests can import it). See the JSDoc there.

export interface ModelSpec {
  /** Reasoning text between <think> and </think> ('' = empty thought). */
  thought: string;
  /** Answer text after </think>. */
  answer: string;
  /** The thought never ends by itself: it cycles back to its start. */
  loopThought?: boolean;
  /** 'r1' (default): "<think>\nT\n</think>\n\nA"; 'exact': "<think>T</think>A". */
  layout?: 'r1' | 'exact';
  /** tokenizer.chat_template (default 'r1-prefill'). */
  template?: 'r1-prefill' | 'r1' | 'none';
  /** The answer never ends by itself: it cycles back to its start (no EOS). */
  loopAnswer?: boolean;
  /** Model dimensions (default 'tiny'). */
  shape?: 'tiny' | 'r1-1.5b' | 'r1-7b';
  /** Pad the vocabulary to this many tokens (default: the shape's). */
  vocabSize?: number;
  /** Chain tokens are USER_DEFINED: prompt text equal to the script tokenizes to the chain (prompt lookup works). */
  userDefinedChain?: boolean;
  /** A draft of the same spec: round(rate × n) chain tokens (seeded) get a wrong successor. */
  perturb?: { rate: number; seed?: number };
  /** An incompatible draft: different EOS id, BOS id, or one differing token text. */
  incompatible?: 'eos' | 'bos' | 'token-text';
  /** Matrix weight type (default: tiny f32, r1-1.5b f16). */
  weightType?: 'f32' | 'f16' | 'q8_0';
  contextLength?: number;
  name?: string;
  seed?: number;
}

export type ScenarioName =
  | 'short' | 'long-thought' | 'loop-answer' | 'edit' | 'hostile' | 'empty-thought' | 'closing-only' | 'lookup-edit'
  | 'draft-target' | 'r1-old-template' | 'no-template';

export const SCENARIOS: Readonly<Record<ScenarioName, Readonly<ModelSpec>>>;
export const EDIT_SAMPLE_ORIGINAL: string;
export const EDIT_SAMPLE_FIXED: string;
export const HOSTILE_ANSWER: string;
/** The code the 'lookup-edit' prompt should contain (its answer rewrites one line of it). */
export const LOOKUP_SAMPLE_ORIGINAL: string;
export const LOOKUP_SAMPLE_FIXED: string;
export const CHAT_TEMPLATES: Readonly<Record<'r1-prefill' | 'r1' | 'none', string | null>>;
export const GENERATOR_VERSION: number;

export function generateModel(outPath: string, spec: ModelSpec): Promise<{
  path: string; bytes: number; vocabSize: number; chainTokens: number; perturbedTokens: number;
}>;

/** The draft of a target spec: same script and token texts, successor table perturbed at `rate` (0 = agrees always). */
export function draftSpec(target: ModelSpec, options?: {
  rate?: number; seed?: number; shape?: ModelSpec['shape']; vocabSize?: number; incompatible?: ModelSpec['incompatible'];
}): ModelSpec;

/** token_embd of a spec as a tensor spec for gguf-patch.mjs rewriteTensor (type: the tensor's type in the file). */
export function tokenEmbeddingTensor(spec: ModelSpec, type: 'f32' | 'f16' | 'q8_0'): unknown;

/** `<dir>/<fileName>.gguf` for any spec, generated unless up to date. Use one fileName per spec. */
export function ensureModel(spec: ModelSpec, dir: string, fileName: string): Promise<string>;

/** What node-llama-cpp 3.21.1 delivers for a spec (see generate-model.mjs). */
export function expectedOutput(spec: ModelSpec): {
  /** thought segment text with DeepSeekChatWrapper; null for loopThought */
  thought: string | null;
  /** the repeated unit of a looping thought; null otherwise */
  thoughtCycle: string | null;
  /** answer text (onTextChunk / responseText) with DeepSeekChatWrapper */
  answer: string;
  /** text after a prompt ending in an ordinary token (GeneralChatWrapper, LlamaCompletion); null for loopThought */
  raw: string | null;
};

export function ensureScenarioModel(name: ScenarioName, dir: string, overrides?: Partial<ModelSpec>): Promise<string>;

export function writeCorruptModels(dir: string): Promise<{ truncated: string; notGguf: string; empty: string }>;
