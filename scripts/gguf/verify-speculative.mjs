#!/usr/bin/env node
// Self-check of the generator's speculative-decoding options against the real engine (node-llama-cpp 3.21.1),
// tiny models: userDefinedChain (prompt text tokenizes to the chain; InputLookupTokenPredictor validates),
// perturb (a draft at rate r: DraftSequenceTokenPredictor's first-token agreement ≈ 1 − r; identical output),
// incompatible drafts (the differing BOS/EOS/token text is really in the file). PASS/FAIL, exit 1 on failure.
// Usage: node scripts/gguf/verify-speculative.mjs [--keep]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { draftSpec, ensureModel, expectedOutput, LOOKUP_SAMPLE_ORIGINAL, SCENARIOS } from './generate-model.mjs';
import { buildVocab } from './vocab.mjs';

const { getLlama, LlamaChatSession, LlamaLogLevel, InputLookupTokenPredictor, DraftSequenceTokenPredictor } = await import('node-llama-cpp');

const keep = process.argv.includes('--keep');
const dir = await mkdtemp(join(tmpdir(), 'ponder-gguf-spec-'));
const llama = await getLlama({ logLevel: LlamaLogLevel.error });
let failures = 0;
function check(label, ok, detail = '') {
  if (!ok) failures++;
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}${detail ? `  ${detail}` : ''}`);
}
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** One chat turn on a fresh sequence; returns answer text and the sequence's prediction counters. */
async function turn(context, prompt, tokenPredictor) {
  const sequence = context.getSequence(tokenPredictor ? { tokenPredictor } : undefined);
  const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: '' });
  const answer = await session.prompt(prompt, { maxTokens: 1000 });
  const stats = { ...sequence.tokenPredictions };
  session.dispose();
  sequence.dispose();
  return { answer, stats };
}

async function lookup() {
  console.log('\n== userDefinedChain: prompt lookup (lookup-edit)');
  const spec = SCENARIOS['lookup-edit'];
  const vocab = buildVocab(spec);
  const model = await llama.loadModel({ modelPath: await ensureModel(spec, dir, 'lookup-edit') });
  const answerText = `\n\n${spec.answer}`;
  check('the answer text tokenizes to exactly the scripted chain', same(model.tokenize(answerText), [...vocab.answerIds]));
  const promptTokens = model.tokenize(LOOKUP_SAMPLE_ORIGINAL);
  const shared = vocab.answerIds.filter((t) => promptTokens.includes(t)).length;
  check('the original code in a prompt shares most of the answer\'s tokens', shared > vocab.answerIds.length / 2, `${shared}/${vocab.answerIds.length}`);
  const context = await model.createContext({ threads: 1, contextSize: 2048, sequences: 2 });
  const prompt = `Fix the average:\n\`\`\`ts\n${LOOKUP_SAMPLE_ORIGINAL}\`\`\``;
  const plain = await turn(context, prompt);
  const predicted = await turn(context, prompt, new InputLookupTokenPredictor({ patternLength: { min: 2 }, predictionLength: { max: 8 } }));
  const want = expectedOutput(spec).answer;
  check('same greedy answer with and without lookup, as scripted', plain.answer === want && predicted.answer === want);
  check('lookup: validated > 0 and refuted > 0', predicted.stats.validated > 0 && predicted.stats.refuted > 0, JSON.stringify(predicted.stats));
  await context.dispose();
  await model.dispose();
}

async function draft() {
  console.log('\n== perturb: draft acceptance (draft-target)');
  const target = SCENARIOS['draft-target'];
  const targetModel = await llama.loadModel({ modelPath: await ensureModel(target, dir, 'draft-target') });
  const context = await targetModel.createContext({ threads: 1, contextSize: 2048, sequences: 8 });
  const want = expectedOutput(target).answer;
  const plain = await turn(context, 'How does the cache work?');
  check('target alone gives the scripted answer', plain.answer === want);
  for (const rate of [0, 0.3, 0.7]) {
    const spec = draftSpec(target, { rate, seed: 3 });
    const vocab = buildVocab(spec);
    const chain = vocab.thoughtIds.length + vocab.answerIds.length;
    const draftModel = await llama.loadModel({ modelPath: await ensureModel(spec, dir, `draft-${rate}`) });
    const draftContext = await draftModel.createContext({ threads: 1, contextSize: 2048, sequences: 2 });
    // maxTokens 1: every draft starts from the target's true token, so validated ÷ predicted = agreement rate.
    const one = await turn(context, 'How does the cache work?', new DraftSequenceTokenPredictor(draftContext.getSequence(), { minTokens: 1, maxTokens: 1, minConfidence: 0 }));
    const seq2 = draftContext.getSequence();
    const many = await turn(context, 'How does the cache work?', new DraftSequenceTokenPredictor(seq2, { minTokens: 8, maxTokens: 8, minConfidence: 0 }));
    const acc = one.stats.validated / (one.stats.validated + one.stats.refuted);
    check(`rate ${rate}: ${vocab.perturbed.length}/${chain} successors changed; output identical`, one.answer === want && many.answer === want);
    check(`rate ${rate}: one-token drafts accepted ${(acc * 100).toFixed(0)} % ≈ ${((1 - rate) * 100).toFixed(0)} %`,
      Math.abs(acc - (1 - rate)) < 0.12 && (rate === 0 ? one.stats.refuted === 0 : one.stats.refuted > 0),
      `${JSON.stringify(one.stats)}; 8-token drafts ${JSON.stringify(many.stats)}`);
    await draftContext.dispose();
    await draftModel.dispose();
  }
  await context.dispose();
  await targetModel.dispose();
}

async function incompatible() {
  console.log('\n== incompatible drafts');
  const target = SCENARIOS['draft-target'];
  const base = await llama.loadModel({ modelPath: await ensureModel(target, dir, 'draft-target') });
  const baseTexts = base.detokenize([270], true);
  for (const kind of ['eos', 'bos', 'token-text']) {
    const m = await llama.loadModel({ modelPath: await ensureModel(draftSpec(target, { incompatible: kind }), dir, `incompatible-${kind}`) });
    const differs = kind === 'eos' ? m.tokens.eos !== base.tokens.eos : kind === 'bos' ? m.tokens.bos !== base.tokens.bos
      : m.detokenize([270], true) !== baseTexts && m.tokens.eos === base.tokens.eos && m.tokens.bos === base.tokens.bos;
    check(`incompatible '${kind}' loads and differs only as asked`, differs,
      `bos ${m.tokens.bos}/${base.tokens.bos}, eos ${m.tokens.eos}/${base.tokens.eos}, id 270 ${JSON.stringify(m.detokenize([270], true))}`);
    await m.dispose();
  }
  await base.dispose();
}

try {
  for (const part of [lookup, draft, incompatible]) {
    try {
      await part();
    } catch (err) {
      check(`${part.name}: no exception`, false, err?.stack ?? String(err));
    }
  }
} finally {
  if (keep) console.log(`models kept in ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
console.log(failures === 0 ? '\nverify-speculative: all checks PASS' : `\nverify-speculative: ${failures} check(s) FAILED`);
process.exitCode = failures === 0 ? 0 : 1;
