/**
 * Checks on a model file so every bad file gets a message naming the file and the fix: cheap ones (exists, readable,
 * GGUF magic) before loading, and the header/size check only after llama.cpp refused it (it costs ~150 ms on 1.5B).
 */
import { open, stat } from 'node:fs/promises';
import { GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import type { EngineError } from '../core/protocol/engine';
import { errorMessage } from '../core/result';

const FIX = 'Choose another model with "Ponder: Select Model", or set `ponder.model` to a complete .gguf file.';

export async function quickCheck(path: string): Promise<EngineError | undefined> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { code: 'MODEL_INVALID', message: `The model path ${path} is not a file. ${FIX}` };
    size = s.size;
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') return { code: 'MODEL_NOT_FOUND', message: `Model file not found: ${path}. ${FIX}` };
    return { code: 'MODEL_UNREADABLE', message: `Cannot read the model file ${path} (${code ?? errorMessage(e)}). Check its permissions. ${FIX}` };
  }
  if (size === 0) return { code: 'MODEL_INVALID', message: `The model file ${path} is empty (0 bytes), probably an interrupted download. ${FIX}` };

  let magic: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      magic = Buffer.alloc(4);
      await fh.read(magic, 0, 4, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { code: 'MODEL_UNREADABLE', message: `Cannot read the model file ${path} (${errnoCode(e) ?? errorMessage(e)}). Check its permissions. ${FIX}` };
  }
  if (magic.toString('latin1') !== 'GGUF') {
    return { code: 'MODEL_INVALID', message: `${path} is not a GGUF model file (it does not start with "GGUF"). Ponder runs GGUF models such as DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf. ${FIX}` };
  }
  return undefined;
}

/** Why llama.cpp could not load a file that passed the quick check: a damaged header or a truncated file. */
export async function diagnoseDamage(path: string, llama: Llama): Promise<EngineError | undefined> {
  const size = (await stat(path)).size;

  try {
    const info = await readGgufFileInfo(path, { readTensorInfo: true, ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores'] });
    const insights = await GgufInsights.from(info, llama);
    const alignment = Number(info.metadata.general?.alignment ?? 32);
    const dataStart = Math.ceil((info.infoEndOffset ?? 0) / alignment) * alignment;
    const expected = dataStart + insights.modelSize;
    if (size < expected) {
      const pct = Math.floor((size / expected) * 100);
      return { code: 'MODEL_INVALID', message: `The model file ${path} is truncated: ${size} of at least ${expected} bytes (${pct}%). Download it again. ${FIX}` };
    }
  } catch (e) {
    return { code: 'MODEL_INVALID', message: `The model file ${path} is damaged: its GGUF header cannot be read (${errorMessage(e)}). Download it again. ${FIX}` };
  }
  return undefined;
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

