#!/usr/bin/env node
/**
 * Generates small, deterministic GGUF v3 models (qwen2 architecture, DeepSeek-R1-distill tokenizer and
 * chat template) that make the real llama.cpp engine emit a scripted R1-style reply. Node.js standard
 * library only; files are generated at test time and never committed.
 *
 * How it works: every token has exactly one successor. Its embedding points at that successor and the
 * output layer decodes the pointer with a logit margin of ≥ 60 over every other token, so greedy and
 * sampled decoding (any temperature / top-p) follow the chain; small random attention/FFN weights do
 * real compute but cannot change the argmax. The next token depends only on the current token, so the
 * reply is the same for any user prompt and on every turn.
 *
 * Chain (tokens the model emits after its prompt), default layout 'r1' (the real R1's whitespace):
 *   <｜Assistant｜> → <think> → "\n" → THOUGHT + "\n" → </think> → "\n\n" + ANSWER → <｜end▁of▁sentence｜>
 * - DeepSeekChatWrapper (resolved for both R1 templates) prompts "...<｜User｜>text<｜Assistant｜>" and the
 *   model emits the whole chain. node-llama-cpp trims nothing: thought segment text = "\n" + THOUGHT +
 *   "\n", answer text (onTextChunk) = "\n\n" + ANSWER. `expectedOutput(spec)` returns these strings.
 * - A prompt ending "<｜Assistant｜><think>\n" (llama-server with the r1-prefill template) or in any
 *   other ordinary token (GeneralChatWrapper's "### Assistant\n", a raw LlamaCompletion) continues
 *   at THOUGHT: raw text "THOUGHT\n</think>\n\nANSWER".
 * - Empty thought: "<think>\n</think>\n\nANSWER" (thought segment text "\n").
 * - Layout 'exact': "<think>THOUGHT</think>ANSWER" (segment texts equal the spec strings exactly).
 * - loopThought: the thought text repeats forever; </think> (e.g. appended by node-llama-cpp when the
 *   thought budget is used up) is followed by the answer.
 * - loopAnswer: the answer text repeats forever (no EOS): only a token ceiling ends the reply.
 * - Text is cut into tokens with unique texts (llama.cpp aborts the process on duplicate vocabulary
 *   strings), so a repeated word becomes part of a longer token; the detokenized text is exact.
 * - Avoid the literal text "<think>" / "</think>" inside thought or answer: node-llama-cpp detects
 *   segment tags on the generated *text*, so such text opens/closes a segment like the special token.
 *
 * @typedef {object} ModelSpec
 * @property {string} thought        reasoning text between <think> and </think> ('' = empty thought)
 * @property {string} answer         answer text after </think> (any characters)
 * @property {boolean} [loopThought] the thought never ends by itself (cycles back to its start)
 * @property {boolean} [loopAnswer]  the answer never ends by itself (cycles back to its start, no EOS)
 * @property {'r1'|'exact'} [layout] whitespace around the tags: 'r1' (default) "<think>\nT\n</think>\n\nA",
 *   'exact' "<think>T</think>A"
 * @property {'r1-prefill'|'r1'|'none'} [template]  tokenizer.chat_template: R1-distill template whose
 *   generation prompt ends "<｜Assistant｜><think>\n" (default), the older one ending "<｜Assistant｜>",
 *   or no template at all
 * @property {'tiny'|'r1-1.5b'|'r1-7b'} [shape]  tiny (default): qwen2, 2 layers, dim 64, ff 128, 4/2 heads, f32,
 *   ~0.5 MB; 'r1-1.5b': DeepSeek-R1-Distill-Qwen-1.5B dimensions, f16, ~3.5 GB, streamed to disk;
 *   'r1-7b': the 7B distill's dimensions (vocabulary 152,064), f16, ~15 GB
 * @property {number} [vocabSize]    pad the vocabulary to this many tokens (default: the shape's; tiny: none)
 * @property {boolean} [userDefinedChain] mark the scripted thought/answer tokens USER_DEFINED: llama.cpp then
 *   matches their text verbatim in any input, so a prompt containing the scripted answer's text tokenizes to the
 *   answer's own tokens and prompt lookup (InputLookupTokenPredictor) can predict them. Chunks are merged until
 *   the scripted texts tokenize back to exactly the chain (checked by simulating llama.cpp's partition).
 *   A prompt that ends in scripted text continues the script from there (not from the thought's start).
 * @property {{rate: number, seed?: number}} [perturb] a *draft* for the same spec without perturb: exactly
 *   round(rate × n) of the n thought/answer tokens (seeded) get a wrong successor (another chain token), so the
 *   draft agrees with the target on a fraction 1 − rate of next tokens. Everything but token_embd is identical.
 * @property {'eos'|'bos'|'token-text'} [incompatible] an incompatible draft: different EOS id, different BOS id,
 *   or one differing token text (the pad token, id 270) — llama.cpp's draft compatibility rule refuses each
 * @property {'f32'|'f16'|'q8_0'} [weightType] matrix weight type (default: tiny f32, r1-1.5b f16;
 *   q8_0 ≈ 1.9 GB for r1-1.5b and runs much faster on CPU than f16)
 * @property {number} [contextLength] qwen2.context_length (tiny: 4096, r1-1.5b: 131072)
 * @property {string} [name]         general.name (default "Ponder scripted R1 test model")
 * @property {number} [seed]         seed of the random block weights (default 1)
 */

import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GGML_TYPE, GGUF_TYPE, kv, writeGguf } from './gguf-writer.mjs';
import { buildVocab } from './vocab.mjs';
import { SHAPES, buildTensors } from './weights.mjs';
import { CHAT_TEMPLATES, SCENARIOS, EDIT_SAMPLE_ORIGINAL, EDIT_SAMPLE_FIXED, HOSTILE_ANSWER, LOOKUP_SAMPLE_ORIGINAL, LOOKUP_SAMPLE_FIXED } from './scenarios.mjs';

export { SCENARIOS, EDIT_SAMPLE_ORIGINAL, EDIT_SAMPLE_FIXED, HOSTILE_ANSWER, LOOKUP_SAMPLE_ORIGINAL, LOOKUP_SAMPLE_FIXED, CHAT_TEMPLATES, SHAPES };

/** Bump when the generated bytes change, so ensureScenarioModel regenerates stale files. */
export const GENERATOR_VERSION = 1;

function specHash(spec) {
  // The key list filters nested objects too: include perturb's keys (existing specs keep their hash).
  const json = JSON.stringify({ v: GENERATOR_VERSION, ...spec }, Object.keys({ v: 0, ...spec, ...spec.perturb }).sort());
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

const WEIGHT_TYPES = { f32: GGML_TYPE.F32, f16: GGML_TYPE.F16, q8_0: GGML_TYPE.Q8_0 };
// general.file_type (llama_ftype) for each weight type
const FILE_TYPES = { [GGML_TYPE.F32]: 0, [GGML_TYPE.F16]: 1, [GGML_TYPE.Q8_0]: 7 };

function resolveShape(spec) {
  const name = spec.shape ?? 'tiny';
  const shape = SHAPES[name];
  if (!shape) throw new Error(`unknown shape ${JSON.stringify(name)} (known: ${Object.keys(SHAPES).join(', ')})`);
  let type = shape.type;
  if (spec.weightType != null) {
    type = WEIGHT_TYPES[spec.weightType];
    if (type === undefined) throw new Error(`unknown weightType ${JSON.stringify(spec.weightType)} (f32, f16, q8_0)`);
  }
  return { name, ...shape, type, contextLength: spec.contextLength ?? shape.contextLength };
}

/**
 * Writes a scripted model to `outPath`.
 * @param {string} outPath
 * @param {ModelSpec} spec
 * @returns {Promise<{path: string, bytes: number, vocabSize: number}>}
 */
export async function generateModel(outPath, spec) {
  if (typeof spec?.thought !== 'string' || typeof spec?.answer !== 'string') {
    throw new TypeError('spec.thought and spec.answer must be strings');
  }
  const template = spec.template ?? 'r1-prefill';
  if (!Object.hasOwn(CHAT_TEMPLATES, template)) throw new Error(`unknown template ${JSON.stringify(template)}`);
  if (spec.loopThought && spec.thought === '') throw new Error('loopThought needs a non-empty thought');
  if (spec.loopAnswer && spec.answer === '') throw new Error('loopAnswer needs a non-empty answer');
  const shape = resolveShape(spec);
  const vocab = buildVocab(spec, spec.vocabSize ?? shape.vocabSize);
  if (spec.incompatible != null && !['eos', 'bos', 'token-text'].includes(spec.incompatible)) {
    throw new Error(`unknown incompatible ${JSON.stringify(spec.incompatible)} (eos, bos, token-text)`);
  }
  // 'eos' / 'bos': the pad token's id stands in (the scripted chain still ends in the real EOS token).
  const bosId = spec.incompatible === 'bos' ? vocab.ids.pad : vocab.ids.bos;
  const eosId = spec.incompatible === 'eos' ? vocab.ids.pad : vocab.ids.eos;
  const { tensors } = buildTensors(vocab, shape, spec.seed ?? 1);
  const A = 'qwen2';
  const metadata = [
    ['general.architecture', kv.str(A)],
    ['general.name', kv.str(spec.name ?? 'Ponder scripted R1 test model')],
    ['ponder.generator_hash', kv.str(specHash(spec))],
    ['general.file_type', kv.u32(FILE_TYPES[shape.type])],
    [`${A}.context_length`, kv.u32(shape.contextLength)],
    [`${A}.embedding_length`, kv.u32(shape.dim)],
    [`${A}.block_count`, kv.u32(shape.layers)],
    [`${A}.feed_forward_length`, kv.u32(shape.ff)],
    [`${A}.attention.head_count`, kv.u32(shape.heads)],
    [`${A}.attention.head_count_kv`, kv.u32(shape.kvHeads)],
    [`${A}.rope.freq_base`, kv.f32(shape.ropeBase)],
    [`${A}.attention.layer_norm_rms_epsilon`, kv.f32(1e-6)],
    ['tokenizer.ggml.model', kv.str('gpt2')],
    ['tokenizer.ggml.pre', kv.str('deepseek-r1-qwen')],
    ['tokenizer.ggml.tokens', kv.arr(GGUF_TYPE.STRING, vocab.tokens)],
    ['tokenizer.ggml.token_type', kv.arr(GGUF_TYPE.INT32, vocab.types)],
    ['tokenizer.ggml.merges', kv.arr(GGUF_TYPE.STRING, vocab.merges)],
    ['tokenizer.ggml.bos_token_id', kv.u32(bosId)],
    ['tokenizer.ggml.eos_token_id', kv.u32(eosId)],
    ['tokenizer.ggml.padding_token_id', kv.u32(vocab.ids.pad)],
    ['tokenizer.ggml.add_bos_token', kv.bool(true)],
    ['tokenizer.ggml.add_eos_token', kv.bool(false)],
  ];
  if (shape.type === GGML_TYPE.Q8_0) metadata.push(['general.quantization_version', kv.u32(2)]);
  if (CHAT_TEMPLATES[template] != null) metadata.push(['tokenizer.chat_template', kv.str(CHAT_TEMPLATES[template])]);
  const bytes = await writeGguf(outPath, metadata, tensors);
  return {
    path: outPath, bytes, vocabSize: vocab.tokens.length,
    chainTokens: vocab.thoughtIds.length + vocab.answerIds.length, perturbedTokens: vocab.perturbed.length,
  };
}

/**
 * The token_embd tensor of a spec as a TensorSpec (for gguf-patch.mjs rewriteTensor): a perturbed draft differs from
 * its base only here. `type`: the type the tensor has in the file to patch (e.g. 'q8_0' after
 * `llama-quantize --token-embedding-type q8_0`).
 * @param {ModelSpec} spec
 * @param {'f32'|'f16'|'q8_0'} type
 */
export function tokenEmbeddingTensor(spec, type) {
  const shape = resolveShape(spec);
  const vocab = buildVocab(spec, spec.vocabSize ?? shape.vocabSize);
  const { tensors } = buildTensors(vocab, { ...shape, type: WEIGHT_TYPES[type] }, spec.seed ?? 1);
  return tensors.find((t) => t.name === 'token_embd.weight');
}

/**
 * The draft of `target`: same script and vocabulary (ids and texts), successor table perturbed at `rate`.
 * `shape`/`vocabSize` default to the target's; e.g. a 'r1-1.5b' draft (151,936 tokens) for a 'r1-7b' target
 * (152,064): the ids they share have identical texts, as llama.cpp requires.
 * @param {ModelSpec} target
 * @param {{rate?: number, seed?: number, shape?: ModelSpec['shape'], vocabSize?: number,
 *   incompatible?: ModelSpec['incompatible']}} [options]
 * @returns {ModelSpec}
 */
export function draftSpec(target, { rate = 0, seed = 1, shape, vocabSize, incompatible } = {}) {
  const spec = { ...target, name: `${target.name ?? 'Ponder scripted R1 test model'} (draft)` };
  delete spec.perturb;
  if (rate > 0) spec.perturb = { rate, seed };
  if (shape) { spec.shape = shape; delete spec.vocabSize; }
  if (vocabSize != null) spec.vocabSize = vocabSize;
  if (incompatible) spec.incompatible = incompatible;
  return spec;
}

/**
 * What node-llama-cpp 3.21.1 delivers for a spec.
 * - thought: concatenated `segmentType: "thought"` chunk text with DeepSeekChatWrapper (for
 *   loopThought: null, the thought is endless; it is `thoughtCycle` repeated, preceded by "\n" in
 *   the 'r1' layout);
 * - answer: concatenated onTextChunk text (= meta.responseText) with DeepSeekChatWrapper;
 * - raw: text generated after a prompt that ends in an ordinary token (GeneralChatWrapper's answer
 *   text for template 'none', LlamaCompletion), null for loopThought.
 * @param {ModelSpec} spec
 */
export function expectedOutput(spec) {
  const r1 = (spec.layout ?? 'r1') === 'r1';
  const thoughtBody = r1 && spec.thought !== '' ? `${spec.thought}\n` : spec.thought;
  const answer = r1 ? `\n\n${spec.answer}` : spec.answer;
  return {
    thought: spec.loopThought ? null : (r1 ? '\n' : '') + thoughtBody,
    thoughtCycle: spec.loopThought ? thoughtBody : null,
    answer,
    raw: spec.loopThought ? null : `${thoughtBody}</think>${answer}`,
  };
}

async function hasHash(path, hash) {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(hash);
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

/**
 * Generates `<dir>/<name>.gguf` for a named scenario unless an up-to-date copy exists (written to a
 * temporary file and renamed, so concurrent callers never see a partial file). Returns the path.
 * @param {string} name  a key of SCENARIOS
 * @param {string} dir
 * @param {Partial<ModelSpec>} [overrides] e.g. { shape: 'r1-1.5b' }
 */
export async function ensureScenarioModel(name, dir, overrides = {}) {
  const base = SCENARIOS[name];
  if (!base) throw new Error(`unknown scenario ${JSON.stringify(name)} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return ensureModel({ ...base, ...overrides }, dir, name);
}

/**
 * Generates `<dir>/<fileName>.gguf` for any spec unless an up-to-date copy exists (same atomic rename as
 * ensureScenarioModel; use a distinct fileName per spec). Returns the path.
 * @param {ModelSpec} spec
 * @param {string} dir
 * @param {string} fileName  without .gguf
 */
export async function ensureModel(spec, dir, fileName) {
  const path = join(dir, `${fileName}.gguf`);
  if (await hasHash(path, specHash(spec))) return path;
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await generateModel(tmp, spec);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return path;
}

/**
 * Writes broken model files for error-path tests.
 * @param {string} dir
 * @returns {Promise<{truncated: string, notGguf: string, empty: string}>}
 */
export async function writeCorruptModels(dir) {
  await mkdir(dir, { recursive: true });
  const truncated = join(dir, 'truncated.gguf');
  const notGguf = join(dir, 'x.gguf');
  const empty = join(dir, 'empty.gguf');
  const tmp = join(dir, `full.${process.pid}.tmp`);
  const { bytes } = await generateModel(tmp, SCENARIOS.short);
  const fh = await open(tmp, 'r+');
  await fh.truncate(Math.floor(bytes / 2));
  await fh.close();
  await rename(tmp, truncated);
  await writeFile(notGguf, 'This is not a GGUF model, just some text.\n');
  await writeFile(empty, '');
  return { truncated, notGguf, empty };
}

async function main(argv) {
  const usage = 'usage: node scripts/gguf/generate-model.mjs <scenario> <out.gguf> [--shape tiny|r1-1.5b] [--type f32|f16|q8_0]\n' +
    '       node scripts/gguf/generate-model.mjs --all <dir>\n' +
    `scenarios: ${Object.keys(SCENARIOS).join(', ')}`;
  const args = [...argv];
  let shape;
  const si = args.indexOf('--shape');
  if (si >= 0) [, shape] = args.splice(si, 2);
  let weightType;
  const ti = args.indexOf('--type');
  if (ti >= 0) [, weightType] = args.splice(ti, 2);
  const overrides = { ...(shape ? { shape } : {}), ...(weightType ? { weightType } : {}) };
  if (args[0] === '--all' && args.length === 2) {
    for (const name of Object.keys(SCENARIOS)) {
      const t0 = performance.now();
      const path = await ensureScenarioModel(name, resolve(args[1]), overrides);
      const { size } = await stat(path);
      console.log(`${path}  ${size} bytes  ${(performance.now() - t0).toFixed(0)} ms`);
    }
    return 0;
  }
  if (args.length !== 2 || args[0].startsWith('-')) {
    console.error(usage);
    return 2;
  }
  const spec = SCENARIOS[args[0]];
  if (!spec) {
    console.error(`unknown scenario ${args[0]}\n${usage}`);
    return 2;
  }
  const t0 = performance.now();
  const res = await generateModel(resolve(args[1]), { ...spec, ...overrides });
  console.log(`${res.path}  ${res.bytes} bytes  vocab ${res.vocabSize}  ${(performance.now() - t0).toFixed(0)} ms`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
