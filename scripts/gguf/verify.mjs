#!/usr/bin/env node
// Self-check of the GGUF generator against the real engine (node-llama-cpp 3.21.1):
// generates every scenario into a temp dir, runs it and prints what came back and PASS/FAIL.
// Exit code 1 on any failure.   Usage: node scripts/gguf/verify.mjs [--keep]

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SCENARIOS, ensureScenarioModel, expectedOutput, generateModel, writeCorruptModels,
} from './generate-model.mjs';

const { getLlama, LlamaChatSession, LlamaCompletion, resolveChatWrapper, LlamaLogLevel } = await import('node-llama-cpp');

const keep = process.argv.includes('--keep');
const dir = await mkdtemp(join(tmpdir(), 'ponder-gguf-verify-'));
const llama = await getLlama({ logLevel: LlamaLogLevel.error });
let failures = 0;
let tokens = 0;
let genMs = 0;

const show = (s) => (s == null ? String(s) : JSON.stringify(s.length > 90 ? `${s.slice(0, 60)}…${s.slice(-25)}` : s));
function check(label, ok, detail = '') {
  if (!ok) failures++;
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}${detail ? `  ${detail}` : ''}`);
}

/** One prompt: collects thought segment text, answer text (onTextChunk) and generated token count. */
async function ask(session, text, options = {}) {
  let thought = '';
  let answer = '';
  let segmentAnswer = '';
  let n = 0;
  const t0 = performance.now();
  const meta = await session.promptWithMeta(text, {
    temperature: 0.6, topP: 0.95, maxTokens: 1000, ...options,
    onTextChunk: (t) => { answer += t; },
    onResponseChunk: (c) => {
      n += c.tokens.length;
      if (c.type === 'segment' && c.segmentType === 'thought') thought += c.text;
      else if (c.type !== 'segment') segmentAnswer += c.text;
      options.onResponseChunk?.(c);
    },
  });
  const ms = performance.now() - t0;
  tokens += n;
  genMs += ms;
  return { thought, answer, segmentAnswer, meta, n, ms };
}

const PROMPTS = [
  'Hello there!',
  'Second turn: please fix this\n```ts\nexport const x = 1 - 1;\n```\nThanks — ünïcödé ｜ <think> test',
];

// Not a named scenario: exact layout and heavy repetition (chunker must keep every token text unique).
const EXTRA = {
  'extra-exact-repetitive': {
    thought: 'the the the the. the\n\nthe\n\n\nthe the',
    answer: 'a\na\na\n\n\n```\n```\n```\n```\nthe the the ｜ ▁ <b> ok ok ok',
    layout: 'exact',
    template: 'r1-prefill',
  },
};

async function verifyScenario(name) {
  const spec = SCENARIOS[name] ?? EXTRA[name];
  const exp = expectedOutput(spec);
  console.log(`\n== ${name}  (template ${spec.template}${spec.loopThought ? ', loopThought' : ''})`);
  let t0 = performance.now();
  const direct = await generateModel(join(dir, `direct-${name}.gguf`), spec);
  const directMs = performance.now() - t0;
  t0 = performance.now();
  const path = SCENARIOS[name] ? await ensureScenarioModel(name, dir) : direct.path;
  const ensureMs = performance.now() - t0;
  t0 = performance.now();
  if (SCENARIOS[name]) await ensureScenarioModel(name, dir);
  const cachedMs = performance.now() - t0;
  check('generate', (await stat(path)).size === direct.bytes,
    `${direct.bytes} bytes, vocab ${direct.vocabSize}, generateModel ${directMs.toFixed(0)} ms, ` +
    `ensure ${ensureMs.toFixed(0)} ms, ensure (cached) ${cachedMs.toFixed(1)} ms`);

  t0 = performance.now();
  const model = await llama.loadModel({ modelPath: path });
  const loadMs = performance.now() - t0;
  const wrapper = resolveChatWrapper(model)?.constructor.name;
  const wantWrapper = spec.template === 'none' ? 'GeneralChatWrapper' : 'DeepSeekChatWrapper';
  check('load + chat wrapper', wrapper === wantWrapper, `${wrapper}, load ${loadMs.toFixed(0)} ms`);
  const context = await model.createContext({ threads: 1, contextSize: 2048 });
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: '' });
    check('LlamaChatSession uses the same wrapper', session.chatWrapper.constructor.name === wantWrapper,
      session.chatWrapper.constructor.name);
    if (spec.template === 'none') {
      for (const [i, prompt] of PROMPTS.entries()) {
        const r = await ask(session, prompt);
        console.log(`  turn ${i + 1} text: ${show(r.answer)}  (${r.n} tokens, ${(r.n / r.ms * 1000).toFixed(0)} tok/s)`);
        check(`turn ${i + 1}: raw text (thought + </think> + answer), no thought segment`,
          r.answer === exp.raw && r.thought === '' && r.meta.stopReason === 'eogToken', r.meta.stopReason);
      }
    } else if (spec.loopThought) {
      const cycle = exp.thoughtCycle;
      const endless = '\n'.repeat((spec.layout ?? 'r1') === 'r1' ? 1 : 0) + cycle.repeat(100);
      for (const [i, budget] of [20, 150].entries()) {
        const r = await ask(session, PROMPTS[i], { budgets: { thoughtTokens: budget } });
        const thoughtTokens = r.meta.response.find((x) => x.type === 'segment')?.text;
        console.log(`  budget ${budget}: thought ${show(r.thought)} (${r.thought.length} chars)  answer ${show(r.answer)}` +
          `  (${r.n} tokens, ${(r.n / r.ms * 1000).toFixed(0)} tok/s)`);
        check(`turn ${i + 1}: thoughtTokens ${budget} cuts the looping thought, full answer follows`,
          thoughtTokens === r.thought && endless.startsWith(r.thought) && r.answer === exp.answer &&
          (budget < 100 || r.thought.length > cycle.length * 2) && r.meta.stopReason === 'eogToken');
      }
      const ac = new AbortController();
      let chunks = 0;
      const r = await ask(session, 'stop me', {
        signal: ac.signal, stopOnAbortSignal: true,
        onResponseChunk: (c) => { if (c.segmentType === 'thought' && ++chunks === 40) ac.abort(); },
      });
      check('abort mid-thought (stopOnAbortSignal) resolves with partial thought, no answer',
        r.meta.stopReason === 'abort' && r.answer === '' && endless.startsWith(r.thought) && r.thought.length > 0,
        `${r.meta.stopReason}, ${r.thought.length} thought chars`);
    } else {
      for (const [i, prompt] of PROMPTS.entries()) {
        const r = await ask(session, prompt);
        console.log(`  turn ${i + 1} thought: ${show(r.thought)}\n  turn ${i + 1} answer:  ${show(r.answer)}` +
          `  (${r.n} tokens, ${(r.n / r.ms * 1000).toFixed(0)} tok/s)`);
        check(`turn ${i + 1}: thought === expectedOutput.thought, answer === expectedOutput.answer, EOS`,
          r.thought === exp.thought && r.answer === exp.answer && r.segmentAnswer === exp.answer &&
          r.meta.stopReason === 'eogToken', r.meta.stopReason);
        if (spec.layout === 'exact') {
          check(`turn ${i + 1}: texts equal spec.thought / spec.answer exactly`, r.thought === spec.thought && r.answer === spec.answer);
        } else {
          check(`turn ${i + 1}: trimmed texts equal spec.thought / spec.answer`,
            r.thought.trim() === spec.thought && r.answer.trim() === spec.answer);
        }
      }
      const hot = await ask(session, 'again, hot', { temperature: 2, topP: 1, topK: 0 });
      check('turn 3 at temperature 2: same reply', hot.thought === exp.thought && hot.answer === exp.answer);
    }
    // Raw prompts: the r1-prefill generation prompt (as llama-server renders it) and arbitrary text.
    if (!spec.loopThought) {
      const rawContext = await model.createContext({ threads: 1, contextSize: 2048 });
      const seq = rawContext.getSequence();
      const completion = new LlamaCompletion({ contextSequence: seq });
      const prefill = model.tokenize('<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>\n', true);
      const a = await completion.generateCompletion(prefill, { maxTokens: 1000, temperature: 0.6, topP: 0.95 });
      const b = await completion.generateCompletion('Plain text prompt', { maxTokens: 1000 });
      console.log(`  raw after "<｜Assistant｜><think>\\n": ${show(a)}`);
      // With userDefinedChain, plain text may end in a scripted token and continue the script from there.
      check('LlamaCompletion: raw text after prefill prompt and after plain text', a === exp.raw && (spec.userDefinedChain || b === exp.raw));
      await rawContext.dispose();
    }
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

async function verifyCorrupt() {
  console.log('\n== writeCorruptModels');
  const paths = await writeCorruptModels(join(dir, 'corrupt'));
  for (const [kind, path] of Object.entries(paths)) {
    let error = null;
    try {
      const m = await llama.loadModel({ modelPath: path });
      await m.dispose();
    } catch (err) {
      error = err;
    }
    check(`${kind}: loadModel rejects`, error != null, error ? show(String(error.message)) : 'loaded');
  }
}

try {
  for (const name of [...Object.keys(SCENARIOS), ...Object.keys(EXTRA)]) {
    try {
      await verifyScenario(name);
    } catch (err) {
      check(`${name}: no exception`, false, err?.stack ?? String(err));
    }
  }
  await verifyCorrupt();
  console.log(`\ngeneration throughput: ${tokens} tokens in ${genMs.toFixed(0)} ms = ${(tokens / genMs * 1000).toFixed(0)} tok/s (incl. prompt eval)`);
} finally {
  if (keep) console.log(`models kept in ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
console.log(failures === 0 ? '\nverify: all checks PASS' : `\nverify: ${failures} check(s) FAILED`);
process.exitCode = failures === 0 ? 0 : 1;
