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
 * Groups pieces into chunks whose byte-level text is not yet in `used` (and adds them to it).
 * A piece whose text is taken is merged with the following pieces; at the end of the text with
 * the preceding chunks.
 */
export function chunkUnique(text, used) {
  const pieces = splitPieces(text);
  const out = [];
  let i = 0;
  while (i < pieces.length) {
    let cur = pieces[i++];
    while (used.has(byteEncode(cur)) && i < pieces.length) cur += pieces[i++];
    while (used.has(byteEncode(cur)) && out.length > 0) {
      const prev = out.pop();
      used.delete(byteEncode(prev));
      cur = prev + cur;
    }
    if (used.has(byteEncode(cur))) throw new Error(`cannot make a unique token for ${JSON.stringify(cur)}`);
    used.add(byteEncode(cur));
    out.push(cur);
  }
  return out;
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
 * @param {{thought: string, answer: string, loopThought?: boolean, loopAnswer?: boolean, layout?: 'r1'|'exact'}} script
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
  const pad = add(SPECIAL.PAD, TOKEN_TYPE.CONTROL);
  const think = add(SPECIAL.THINK, TOKEN_TYPE.USER_DEFINED);
  const endThink = add(SPECIAL.END_THINK, TOKEN_TYPE.USER_DEFINED);
  for (const t of TOOL_TOKENS) add(t, TOKEN_TYPE.CONTROL);

  const used = new Set(tokens);
  const r1 = (script.layout ?? 'r1') === 'r1';
  if (!r1 && script.layout !== 'exact') throw new Error(`unknown layout ${JSON.stringify(script.layout)}`);
  const thoughtText = r1 && script.thought !== '' ? `${script.thought}\n` : script.thought;
  const thoughtChunks = thoughtText === '' ? [] : chunkUnique(thoughtText, used);
  const answerText = r1 ? `\n\n${script.answer}` : script.answer;
  const answerChunks = answerText === '' ? [] : chunkUnique(answerText, used);
  const thoughtIds = thoughtChunks.map((c) => add(byteEncode(c), TOKEN_TYPE.NORMAL));
  const answerIds = answerChunks.map((c) => add(byteEncode(c), TOKEN_TYPE.NORMAL));
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

  return {
    tokens, types, successor,
    merges: MERGES,
    ids: { bos, eos, user, assistant, pad, think, endThink, newline },
    thoughtChunks, answerChunks,
  };
}
