// Weights of a scripted qwen2 model: each token's embedding "points at" its successor and the
// output layer decodes that pointer with a large margin; the transformer blocks have small random
// weights (real compute, but their contribution to the residual stream is far too small to change
// the argmax).

import { GGML_TYPE } from './gguf-writer.mjs';
import { rng } from './vocab.mjs';

export const SHAPES = Object.freeze({
  tiny: Object.freeze({
    layers: 2, dim: 64, ff: 128, heads: 4, kvHeads: 2, contextLength: 4096, ropeBase: 10000,
    type: GGML_TYPE.F32, vocabSize: 0,
  }),
  // DeepSeek-R1-Distill-Qwen-1.5B dimensions (≈3.5 GB at f16).
  'r1-1.5b': Object.freeze({
    layers: 28, dim: 1536, ff: 8960, heads: 12, kvHeads: 2, contextLength: 131072, ropeBase: 10000,
    type: GGML_TYPE.F16, vocabSize: 151936,
  }),
  // DeepSeek-R1-Distill-Qwen-7B dimensions (≈15 GB at f16, 4.7 GB at Q4_K_M); its vocabulary is 128 larger than
  // the 1.5B's, as in the real pair (the speculative-decoding draft/target bench).
  'r1-7b': Object.freeze({
    layers: 28, dim: 3584, ff: 18944, heads: 28, kvHeads: 4, contextLength: 131072, ropeBase: 10000,
    type: GGML_TYPE.F16, vocabSize: 152064,
  }),
});

/** Target gap between the scripted next token's logit and every other logit. */
export const LOGIT_MARGIN = 60;

function hashString(s, seed = 0x9e3779b9) {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function gaussian(rand) {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** K unit vectors in R^d with low mutual coherence; returns { codes, maxDot }. */
function makeCodes(K, d, seed) {
  const rand = rng(seed);
  const codes = new Float64Array(K * d);
  const normalize = (i) => {
    let n = 0;
    for (let j = 0; j < d; j++) n += codes[i * d + j] ** 2;
    n = Math.sqrt(n);
    for (let j = 0; j < d; j++) codes[i * d + j] /= n;
  };
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < d; j++) codes[i * d + j] = gaussian(rand);
    normalize(i);
  }
  const dot = (a, b) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += codes[a * d + j] * codes[b * d + j];
    return s;
  };
  let maxDot = -1;
  const push = new Float64Array(d);
  for (let iter = 0; iter < 40; iter++) {
    maxDot = -1;
    for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) maxDot = Math.max(maxDot, dot(a, b));
    if (maxDot < 0.3 || iter === 39) break;
    for (let a = 0; a < K; a++) {
      push.fill(0);
      for (let b = 0; b < K; b++) {
        if (b === a) continue;
        const p = dot(a, b);
        if (p > 0.2) for (let j = 0; j < d; j++) push[j] += p * codes[b * d + j];
      }
      for (let j = 0; j < d; j++) codes[a * d + j] -= 0.5 * push[j];
      normalize(a);
    }
  }
  return { codes, maxDot };
}

/**
 * Tensor specs for writeGguf.
 * @param {ReturnType<import('./vocab.mjs').buildVocab>} vocab
 * @param {typeof SHAPES.tiny} shape
 * @param {number} seed
 */
export function buildTensors(vocab, shape, seed = 1) {
  const { dim, ff, heads, kvHeads, layers } = shape;
  const type = shape.type;
  const V = vocab.tokens.length;
  const kvDim = (dim / heads) * kvHeads;

  // Pointer codes follow the unperturbed table, so a perturbed draft (whose wrong successors are chain tokens,
  // already targets) differs from its base only in token_embd.
  const targets = [...new Set(vocab.baseSuccessor ?? vocab.successor)];
  const codeIndex = new Map(targets.map((t, i) => [t, i]));
  const { codes, maxDot } = makeCodes(targets.length, dim, seed ^ 0x5eed);
  const sqrtD = Math.sqrt(dim);
  const alpha = LOGIT_MARGIN / (sqrtD * (1 - Math.max(0, maxDot)));

  const embedFill = (row0, rows, out) => {
    for (let r = 0; r < rows; r++) {
      const c = codeIndex.get(vocab.successor[row0 + r]) * dim;
      for (let j = 0; j < dim; j++) out[r * dim + j] = sqrtD * codes[c + j];
    }
  };
  const outputFill = (row0, rows, out) => {
    for (let r = 0; r < rows; r++) {
      const ci = codeIndex.get(row0 + r);
      if (ci === undefined) continue; // never a successor: logit 0
      for (let j = 0; j < dim; j++) out[r * dim + j] = alpha * codes[ci * dim + j];
    }
  };
  const constFill = (v) => (row0, rows, out) => out.fill(v);
  const randomFill = (name, scale) => {
    const rand = rng(hashString(name, seed));
    return (row0, rows, out) => {
      for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * scale;
    };
  };
  // uniform(-s, s) has std s/sqrt(3): inputs ~N(0,1) after RMSNorm give outputs of std ≈ gain.
  const proj = (name, nIn, gain) => randomFill(name, gain * Math.sqrt(3 / nIn));

  const tensors = [
    { name: 'token_embd.weight', shape: [dim, V], type, fill: embedFill },
    { name: 'output_norm.weight', shape: [dim], type: GGML_TYPE.F32, fill: constFill(1) },
    { name: 'output.weight', shape: [dim, V], type, fill: outputFill },
  ];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, shape: [dim], type: GGML_TYPE.F32, fill: constFill(1) },
      { name: `${p}attn_q.weight`, shape: [dim, dim], type, fill: proj(`${p}q`, dim, 0.5) },
      { name: `${p}attn_q.bias`, shape: [dim], type: GGML_TYPE.F32, fill: randomFill(`${p}qb`, 0.05) },
      { name: `${p}attn_k.weight`, shape: [dim, kvDim], type, fill: proj(`${p}k`, dim, 0.5) },
      { name: `${p}attn_k.bias`, shape: [kvDim], type: GGML_TYPE.F32, fill: randomFill(`${p}kb`, 0.05) },
      { name: `${p}attn_v.weight`, shape: [dim, kvDim], type, fill: proj(`${p}v`, dim, 0.5) },
      { name: `${p}attn_v.bias`, shape: [kvDim], type: GGML_TYPE.F32, fill: randomFill(`${p}vb`, 0.05) },
      { name: `${p}attn_output.weight`, shape: [dim, dim], type, fill: proj(`${p}o`, dim, 0.01) },
      { name: `${p}ffn_norm.weight`, shape: [dim], type: GGML_TYPE.F32, fill: constFill(1) },
      { name: `${p}ffn_gate.weight`, shape: [dim, ff], type, fill: proj(`${p}g`, dim, 1) },
      { name: `${p}ffn_up.weight`, shape: [dim, ff], type, fill: proj(`${p}u`, dim, 1) },
      { name: `${p}ffn_down.weight`, shape: [ff, dim], type, fill: proj(`${p}d`, ff, 0.01) },
    );
  }
  return { tensors, alpha, maxDot, chosenLogit: alpha * sqrtD };
}
