// Vocabulary and successor chain for generated "scripted" models.
//
// The vocabulary is a gpt2-style byte-level BPE vocabulary: the 256 byte tokens (stored with the
// GPT-2 bytes_to_unicode mapping, e.g. " " -> "Ġ", "\n" -> "Ċ"), a few merges, the DeepSeek-R1
// special tokens and one extra token per chunk of the scripted reply. llama.cpp maps token text ->
// id, so every vocabulary entry must have distinct text: repeated text in the script is merged with
// its neighbours until each chunk is unique (see `chunkUnique`).

export const SPECIAL = Object.freeze({
  BOS: '<｜begin▁of▁sentence｜>',
  EOS: '<｜end▁of▁sentence｜>',
  USER: '<｜User｜>',
  ASSISTANT: '<｜Assistant｜>',
  PAD: '<｜▁pad▁｜>',
  THINK: '<think>',
  END_THINK: '</think>',
});

// Further DeepSeek control tokens that the R1 chat template mentions (tool calls).
const TOOL_TOKENS = [
  '<｜tool▁calls▁begin｜>', '<｜tool▁calls▁end｜>', '<｜tool▁call▁begin｜>', '<｜tool▁call▁end｜>',
  '<｜tool▁outputs▁begin｜>', '<｜tool▁outputs▁end｜>', '<｜tool▁output▁begin｜>', '<｜tool▁output▁end｜>',
  '<｜tool▁sep｜>',
];

export const TOKEN_TYPE = Object.freeze({ NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 });

// A handful of ordinary merges (tokenizer.ggml.merges must exist for a gpt2 tokenizer).
const MERGES = ['Ġ t', 'Ġ a', 'h e', 'i n', 'r e', 'o n', 'Ġt he', 'e r', 'Ġ s', 'a t'];

/** GPT-2 bytes_to_unicode: byte value -> printable unicode char. */
export const BYTE_TO_CHAR = (() => {
  const table = new Array(256);
  const direct = (b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let n = 0;
  for (let b = 0; b < 256; b++) table[b] = direct(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + n++);
  return table;
})();

/** Text -> byte-level token text. */
export function byteEncode(text) {
  let s = '';
  for (const b of Buffer.from(text, 'utf8')) s += BYTE_TO_CHAR[b];
  return s;
}

/**
 * Splits text into word-like pieces (GPT-style: optional leading space + letters/digits, optional
 * leading space + punctuation run, newline runs, other whitespace runs). Concatenation is lossless.
 */
export function splitPieces(text) {
  const pieces = text.match(/ ?[\p{L}\p{N}_]+| ?[^\s\p{L}\p{N}_]+|\n+|[^\S\n]+/gu) ?? [];
  if (pieces.join('') !== text) throw new Error('internal: piece split is not lossless');
  return pieces;
}

/**
 * Groups pieces into chunks whose token text (`key(chunk)`: byte-level by default, raw text for
 * user-defined tokens) is not yet in `used` (and adds them to it). A piece whose text is taken is
 * merged with the following pieces; at the end of the text with the preceding chunks.
 */
export function chunkUnique(text, used, key = byteEncode) {
  const pieces = splitPieces(text);
  const out = [];
  let i = 0;
  while (i < pieces.length) {
    let cur = pieces[i++];
    while (used.has(key(cur)) && i < pieces.length) cur += pieces[i++];
    while (used.has(key(cur)) && out.length > 0) {
      const prev = out.pop();
      used.delete(key(prev));
      cur = prev + cur;
    }
    if (used.has(key(cur))) throw new Error(`cannot make a unique token for ${JSON.stringify(cur)}`);
    used.add(key(cur));
    out.push(cur);
  }
  return out;
}

/**
 * llama.cpp's special-token partition (llama-vocab.cpp tokenizer_st_partition) of `text` by `specials`
 * (user-defined token texts): longest text first, every occurrence in the still-raw fragments.
 * Returns the fragments in order: { text, token: true } for a matched special, { text, token: false } for raw text.
 */
export function partitionSpecials(text, specials) {
  // Array sort is stable: equal lengths keep the caller's order.
  const order = [...new Set(specials)].filter((t) => t.length > 0)
    .sort((a, b) => Buffer.byteLength(b) - Buffer.byteLength(a));
  let frags = [{ text, token: false }];
  for (const sp of order) {
    const next = [];
    for (const f of frags) {
      if (f.token || !f.text.includes(sp)) { next.push(f); continue; }
      const parts = f.text.split(sp);
      parts.forEach((p, i) => {
        if (i > 0) next.push({ text: sp, token: true });
        if (p) next.push({ text: p, token: false });
      });
    }
    frags = next;
  }
  return frags;
}

/**
 * Makes user-defined chunks tokenize back to themselves: llama.cpp matches user-defined token texts in any
 * input (longest first), so a chunk whose text also occurs across other chunks' boundaries would be matched
 * there and the text would not tokenize to the chain. Merges the offending chunk with its neighbour until
 * the partition of every list's text equals the list (terminates: each merge removes a chunk).
 * @param {string[][]} lists  chunk lists (thought, answer), edited in place
 * @param {Set<string>} used   token texts already in the vocabulary (kept in sync)
 * @param {string[]} fixed     other user-defined texts (<think>, </think>)
 */
function makePartitionStable(lists, used, fixed) {
  for (let iter = 0; iter < 100_000; iter++) {
    const specials = [...fixed, ...lists.flat()];
    // llama.cpp sorts by length with an unstable sort: equal-length texts may be tried in any order, so the
    // partition must come out right for several tie orders (forward, reversed, two shuffles).
    const rand = rng(iter + 1);
    const shuffled = () => specials.map((t) => [rand(), t]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const orders = [specials, specials.slice().reverse(), shuffled(), shuffled()];
    let repaired = false;
    for (const [list, order] of lists.flatMap((l) => orders.map((o) => [l, o]))) {
      const frags = partitionSpecials(list.join(''), order);
      let k = 0;
      while (k < list.length && k < frags.length && frags[k].token && frags[k].text === list[k]) k++;
      if (k === list.length && frags.length === list.length) continue;
      // The culprit: the first wrongly matched chunk text (or, for raw text, the chunk it belongs to).
      const bad = frags[k]?.token ? frags[k].text : list[Math.min(k, list.length - 1)];
      const owner = lists.find((l) => l.includes(bad));
      if (!owner) throw new Error(`internal: ${JSON.stringify(bad)} is not a chunk`);
      const i = owner.indexOf(bad);
      const j = i < owner.length - 1 ? i + 1 : i - 1;
      if (j < 0) throw new Error(`cannot make ${JSON.stringify(bad)} tokenize to itself`);
      const [a, b] = j > i ? [i, j] : [j, i];
      used.delete(owner[a]);
      used.delete(owner[b]);
      let merged = owner[a] + owner[b];
      owner.splice(a, 2, merged);
      let at = a;
      while (used.has(merged)) { // a taken text grows further (right, or left at the end)
        if (at + 1 < owner.length) {
          const [n] = owner.splice(at + 1, 1);
          used.delete(n);
          merged += n;
        } else if (at > 0) {
          const [p] = owner.splice(at - 1, 1);
          used.delete(p);
          at--;
          merged = p + merged;
        } else throw new Error(`cannot make a unique token for ${JSON.stringify(merged)}`);
        owner[at] = merged;
      }
      used.add(merged);
      repaired = true;
      break;
    }
    if (!repaired) return;
  }
  throw new Error('internal: user-defined chunks did not converge');
}

/**
 * Builds the vocabulary and the successor of every token.
 *
 * Reply chain (all templates), layout 'r1' (R1's own layout "<think>\nTHOUGHT\n</think>\n\nANSWER"):
 *   <｜Assistant｜> → <think> → "\n" (the byte token) → thought chunks → </think> → answer chunks → EOS
 * thought chunks spell `thought + "\n"` (nothing for an empty thought); answer chunks spell
 * `"\n\n" + answer`. Layout 'exact' ("<think>THOUGHT</think>ANSWER"): <think> → thought chunks
 * spelling `thought` → </think> → answer chunks spelling `answer`; "\n" still points at the thought.
 * With `loopThought` the last thought chunk points back to the first one instead of </think>; with `loopAnswer`
 * the last answer chunk points back to the first answer chunk instead of EOS (a reply that never ends).
 * Every other token (bytes, BOS, <｜User｜>, ...) points at the first thought chunk, so a prompt that
 * ends in any ordinary token (e.g. "### Assistant\n" of a generic wrapper) starts the thought text.
 *
 * userDefinedChain: chain tokens are USER_DEFINED (raw text, matched verbatim in any input, so a prompt containing
 * the scripted text tokenizes to the chain's tokens: prompt lookup can predict). perturb: see `perturb`.
 * incompatible 'token-text': the pad token's text differs (an incompatible draft).
 *
 * @param {{thought: string, answer: string, loopThought?: boolean, loopAnswer?: boolean, layout?: 'r1'|'exact',
 *   userDefinedChain?: boolean, perturb?: {rate: number, seed?: number}, incompatible?: string}} script
 * @param {number} [padTo] pad the vocabulary with [PADn] tokens up to this size
 */
export function buildVocab(script, padTo = 0) {
  const tokens = [];
  const types = [];
  const ids = new Map();
  const add = (text, type) => {
    if (ids.has(text)) throw new Error(`duplicate token text ${JSON.stringify(text)}`);
    ids.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    return tokens.length - 1;
  };
  for (let b = 0; b < 256; b++) add(BYTE_TO_CHAR[b], TOKEN_TYPE.NORMAL);
  for (const m of MERGES) add(m.replace(' ', ''), TOKEN_TYPE.NORMAL);
  const bos = add(SPECIAL.BOS, TOKEN_TYPE.CONTROL);
  const eos = add(SPECIAL.EOS, TOKEN_TYPE.CONTROL);
  const user = add(SPECIAL.USER, TOKEN_TYPE.CONTROL);
  const assistant = add(SPECIAL.ASSISTANT, TOKEN_TYPE.CONTROL);
  // 'token-text': an incompatible draft (same ids, one token text differs; llama.cpp compares texts from id 5).
  const pad = add(script.incompatible === 'token-text' ? '<｜▁pad▁other｜>' : SPECIAL.PAD, TOKEN_TYPE.CONTROL);
  const think = add(SPECIAL.THINK, TOKEN_TYPE.USER_DEFINED);
  const endThink = add(SPECIAL.END_THINK, TOKEN_TYPE.USER_DEFINED);
  for (const t of TOOL_TOKENS) add(t, TOKEN_TYPE.CONTROL);

  const used = new Set(tokens);
  const r1 = (script.layout ?? 'r1') === 'r1';
  if (!r1 && script.layout !== 'exact') throw new Error(`unknown layout ${JSON.stringify(script.layout)}`);
  const thoughtText = r1 && script.thought !== '' ? `${script.thought}\n` : script.thought;
  // User-defined chain tokens are stored as raw text (llama.cpp renders and matches them verbatim).
  const ud = !!script.userDefinedChain;
  const key = ud ? (c) => c : byteEncode;
  // A lone "\n" chunk would also match the "\n" of a "<think>\n" generation prompt and derail the script.
  if (ud) used.add('\n');
  const thoughtChunks = thoughtText === '' ? [] : chunkUnique(thoughtText, used, key);
  const answerText = r1 ? `\n\n${script.answer}` : script.answer;
  const answerChunks = answerText === '' ? [] : chunkUnique(answerText, used, key);
  if (ud) makePartitionStable([thoughtChunks, answerChunks], used, [SPECIAL.THINK, SPECIAL.END_THINK]);
  const chainType = ud ? TOKEN_TYPE.USER_DEFINED : TOKEN_TYPE.NORMAL;
  const thoughtIds = thoughtChunks.map((c) => add(key(c), chainType));
  const answerIds = answerChunks.map((c) => add(key(c), chainType));
  if (padTo > tokens.length) for (let i = tokens.length; i < padTo; i++) add(`[PAD${i}]`, TOKEN_TYPE.UNUSED);
  else if (padTo && padTo < tokens.length) throw new Error(`vocabulary needs ${tokens.length} > ${padTo} tokens`);

  const newline = ids.get(BYTE_TO_CHAR[10]);
  const answerStart = answerIds.length ? answerIds[0] : eos;
  const thoughtStart = thoughtIds.length ? thoughtIds[0] : endThink;
  const successor = new Int32Array(tokens.length).fill(thoughtStart);
  successor[assistant] = think;
  successor[think] = r1 ? newline : thoughtStart;
  successor[newline] = thoughtStart;
  for (let i = 0; i < thoughtIds.length; i++) {
    const last = i === thoughtIds.length - 1;
    successor[thoughtIds[i]] = last ? (script.loopThought ? thoughtIds[0] : endThink) : thoughtIds[i + 1];
  }
  successor[endThink] = answerStart;
  for (let i = 0; i < answerIds.length; i++) {
    successor[answerIds[i]] = i === answerIds.length - 1 ? (script.loopAnswer ? answerIds[0] : eos) : answerIds[i + 1];
  }
  successor[eos] = eos;
  const baseSuccessor = successor.slice();
  const perturbed = script.perturb ? perturb(successor, [...thoughtIds, ...answerIds], script.perturb) : [];

  return {
    tokens, types, successor, baseSuccessor, perturbed,
    merges: MERGES,
    ids: { bos, eos, user, assistant, pad, think, endThink, newline },
    thoughtChunks, answerChunks, thoughtIds, answerIds,
  };
}

/** mulberry32 PRNG -> uniform in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A draft model's successor table: exactly round(rate × n) of the n chain tokens (seeded choice) get a wrong
 * successor, another chain token, so greedy drafting from the target's true token agrees with the target with
 * probability 1 − rate per token. Only chain tokens are used as wrong successors (they are already pointer
 * targets), so the output layer, and every tensor except token_embd, is unchanged. Returns the changed ids.
 */
function perturb(successor, chain, { rate, seed = 1 }) {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`perturb.rate must be in [0, 1], got ${rate}`);
  if (chain.length < 3) return [];
  const rand = rng(seed ^ 0xd4af7);
  const order = chain.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const changed = order.slice(0, Math.round(rate * chain.length));
  for (const t of changed) {
    let wrong;
    do wrong = chain[Math.floor(rand() * chain.length)]; while (wrong === successor[t] || wrong === t);
    successor[t] = wrong;
  }
  return changed.sort((a, b) => a - b);
}
