/**
 * The draft model of speculative decoding: a small model of the target's family, loaded after the target in its own
 * context, checked with llama.cpp's own compatibility rule (same vocabulary type and BOS/EOS, identical token texts
 * over the shared ids, sizes within 128) and refused with a message when it fails. The engine keeps working without it.
 */
import { InsufficientMemoryError, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { basename } from 'node:path';
import { quickCheck } from './model-file';
import type { SwitchingTokenPredictor } from './token-predictor';
import { errorMessage } from '../core/result';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface LoadedDraft {
  readonly name: string;
  readonly loadMs: number;
  /** Draft size ÷ target size: what one drafted token costs in target decode steps (decoding is memory-bound). */
  readonly costRatio: number;
  /** How long llama.cpp's compatibility check took (it runs again before every generation that drafts). */
  readonly checkMs: number;
  /** Tokens the draft model has generated so far (its decode steps, including drafts thrown away). */
  generatedTokens(): number;
  dispose(): Promise<void>;
}

export interface DraftTarget {
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
  readonly name: string;
  readonly threads?: number;
}

const NO_DRAFT = 'Ponder answers without a draft model.';
const PAIRS = 'Use `ponder.draftModel: "auto"`, or a smaller distill of the same family (Qwen-1.5B for the Qwen distills, Llama-8B for Llama-70B), or "none".';

/** Loads and attaches the draft; on any failure returns the warning to show instead (the target stays as it is). */
export async function loadDraft(llama: Llama, path: string, target: DraftTarget, predictor: SwitchingTokenPredictor, log: Log): Promise<LoadedDraft | { readonly warning: string }> {
  const started = performance.now();
  const label = basename(path);
  const problem = await quickCheck(path);
  if (problem) return { warning: `Draft model: ${problem.message} ${NO_DRAFT}` };
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: path, gpuLayers: 'auto' });
  } catch (e) {
    const why = e instanceof InsufficientMemoryError ? 'not enough memory left after the main model' : errorMessage(e);
    return { warning: `Could not load the draft model ${label} (${why}). ${NO_DRAFT}` };
  }
  let context: LlamaContext;
  try {
    context = await model.createContext({ contextSize: target.context.contextSize, threads: target.threads ?? 0, sequences: 1 });
  } catch (e) {
    await model.dispose();
    const why = e instanceof InsufficientMemoryError ? 'not enough memory for its context' : errorMessage(e);
    return { warning: `Could not create a context for the draft model ${label} (${why}). ${NO_DRAFT}` };
  }
  const name = String(model.fileInfo.metadata.general?.name || label);
  let attached = false;
  const release = async () => {
    predictor.setDraftSequence(undefined);
    await context.dispose();
    await model.dispose();
  };
  const dispose = async () => {
    await release();
    if (attached) log('info', `Released the draft model ${name}.`);
  };
  const sequence = context.getSequence();
  predictor.setDraftSequence(sequence);
  const checkStart = performance.now();
  try {
    // node-llama-cpp runs llama.cpp's check (common_speculative_are_compatible) at the start of the draft's reset.
    await predictor.draftPredictor?.reset({ targetSequence: target.sequence, stateTokens: [], evaluateOptions: {} });
  } catch (e) {
    await dispose();
    return { warning: `The draft model ${name} (${label}) cannot draft for ${target.name}: ${incompatibility(errorMessage(e))}. ${NO_DRAFT} ${PAIRS}` };
  }
  const checkMs = Math.round((performance.now() - checkStart) * 10) / 10;
  attached = true;
  const costRatio = model.size / Math.max(1, target.model.size);
  log('info', `Draft model ${name} attached (compatibility check ${checkMs} ms, ${Math.round(costRatio * 100)}% of the main model's size).`);
  return { name, loadMs: Math.round(performance.now() - started), costRatio, checkMs, generatedTokens: () => sequence.tokenMeter.usedOutputTokens, dispose };
}

/** llama.cpp's refusal in plain words (its token message also lacks a closing quote). */
function incompatibility(native: string): string {
  const token = /token (\d+) content differs\. Target: "(.*)", Draft: "(.*)$/s.exec(native);
  if (token) return `their vocabularies differ (token ${token[1]} is ${JSON.stringify(token[2].slice(0, 40))} in one and ${JSON.stringify(token[3].replace(/"$/, '').slice(0, 40))} in the other)`;
  const size = /vocabulary size difference: (\d+), max allowed: (\d+)/.exec(native);
  if (size) return `their vocabulary sizes differ by ${size[1]} tokens (llama.cpp allows ${size[2]})`;
  if (/special tokens must match/.test(native)) return 'their BOS/EOS tokens differ';
  if (/vocabulary type must match/.test(native)) return 'their tokenizer types differ';
  return native;
}
