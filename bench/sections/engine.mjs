// Figures 1, 2, 3, 5: the host pipeline (ChatController → EngineClient → forked worker) against node-llama-cpp run
// directly in this process, same model file and settings, interleaved repetitions, medians.
import { HostPipeline } from '../lib/host-pipeline.mjs';
import { commonPrefix, RawEngine } from '../lib/raw-engine.mjs';
import { interleave, log, median, max, rate, round } from '../lib/util.mjs';

/** A short question: ~150 prompt tokens with the chat template (the generated tokenizer has few merges). */
const BODY = 'Please look at this function and explain what it does, then list the edge cases it misses:\n' +
  'function mean(xs) { return xs.reduce((a, b) => a + b) / xs.length; }';

const user = (text) => [{ role: 'user', text }];

/**
 * Repetition i's prompt: the same question with a different last line, so each repetition evaluates only its last
 * ~20 tokens (the rest is still in the context sequence, on both paths alike). That keeps each run short and the
 * noise of this shared machine small against the overheads being measured.
 */
const variant = (what, i) => `${BODY}\n(${what} ${i}: answer for input [${i}, ${i + 1}].)`;

/**
 * 1. Tokens/s delivered to the webview (panel/chunk posts) vs tokens/s of node-llama-cpp in process: the rate over
 * the first `tokens` streamed chunks (one chunk = one token here), then Stop. `tg` (llama-bench, one repetition at
 * the same context depth) runs after each pair, so the llama.cpp ceiling sees the same machine load. (Stopping rather than letting the thinking
 * budget end the thought: with the generated tokenizer, closing a long thought re-tokenizes it, a pause that is an
 * artefact of the test model.)
 */
async function streaming(host, raw, { reps, tokens, tg }) {
  const prompt = (i) => variant('streaming run', i);
  const budget = tokens + 64;
  let depth;
  const r = await interleave(reps, async (i) => {
    host.newChat();
    let n = 0;
    const res = await host.send(prompt(i), { budget, onPost: (m) => m.type === 'panel/chunk' && ++n === tokens && host.stop() });
    depth = res.turn.outcome.stats?.promptTokens ?? depth;
    const times = res.times.slice(0, tokens);
    return { tps: rate(times), chunks: times.length, msPerToken: (times.at(-1) - times[0]) / (times.length - 1) };
  }, async (i) => {
    const ac = new AbortController();
    let n = 0;
    const res = await raw.reply(user(prompt(i)), { budget, signal: ac.signal, onChunk: () => ++n === tokens && ac.abort() });
    const times = res.times.slice(0, tokens);
    return { tps: rate(times), chunks: times.length };
  }, tg && (() => tg({ n: tokens, depth })));
  const ratios = r.a.map((h, i) => h.tps / r.b[i].tps);
  const tgRatios = r.c.map((x, i) => r.a[i].tps / x.tps);
  // For the cause of any gap to llama-bench: node-llama-cpp's decode loop without its chat layer.
  const decode = [];
  for (let i = 0; i < 3; i++) decode.push(rate(await raw.decode(user(prompt(100 + i)), tokens)));
  return {
    ratio: median(ratios),
    hostTps: median(r.a.map((x) => x.tps)),
    rawTps: median(r.b.map((x) => x.tps)),
    decodeTps: median(decode),
    ...(r.c.length ? { tg: { ratio: median(tgRatios), tps: median(r.c.map((x) => x.tps)), n: tokens, depth, perRep: tgRatios.map((x) => round(x, 4)), build: r.c[0].build } } : {}),
    msPerToken: median(r.a.map((x) => x.msPerToken)),
    tokens,
    chunks: { host: r.a.map((x) => x.chunks), raw: r.b.map((x) => x.chunks) },
    perRep: ratios.map((x) => round(x, 4)),
  };
}

/**
 * 2. Time to first token (request → first chunk), warm model, a fresh single-turn chat each time, whose last line is
 * new (see `variant`): what Ponder adds is compared with the same evaluation done directly.
 */
async function ttft(host, raw, { reps }) {
  const prompt = (i) => variant('question', i);
  let promptTokens;
  let evaluated;
  const r = await interleave(reps, async (i) => {
    host.newChat();
    let first;
    const res = await host.send(prompt(i), {
      budget: 8,
      onPost: (m, t) => {
        if (m.type === 'panel/chunk' && first === undefined) {
          first = t;
          host.stop();
        }
      },
    });
    promptTokens = res.turn.outcome.stats?.promptTokens ?? promptTokens;
    evaluated = res.turn.outcome.stats?.evaluatedTokens ?? evaluated;
    return first - res.started;
  }, async (i) => {
    const ac = new AbortController();
    let first;
    const res = await raw.reply(user(prompt(i)), {
      budget: 8,
      signal: ac.signal,
      onChunk: (_k, _t, t) => {
        if (first === undefined) {
          first = t;
          ac.abort();
        }
      },
    });
    return first - res.started;
  });
  const deltas = r.a.map((h, i) => h - r.b[i]);
  return { added: median(deltas), host: median(r.a), raw: median(r.b), perRep: deltas.map((x) => round(x, 1)), promptTokens, evaluated };
}

/** 3. Turn 2 of a fixed two-turn chat: what the worker evaluates vs what is new since turn 1's context. */
async function turnTwo(host, raw, { budget }) {
  const p1 = `Turn one. ${BODY}`;
  const p2 = 'Turn two. Now rewrite it so that an empty list returns 0 instead of NaN, and explain the change.';
  host.newChat();
  const t1 = await host.send(p1, { budget });
  const t2 = await host.send(p2, { budget });
  const s1 = t1.turn.outcome.stats;
  const s2 = t2.turn.outcome.stats;
  if (!s1 || !s2) throw new Error(`two-turn chat failed: ${t1.turn.outcome.error ?? t2.turn.outcome.error ?? 'no stats'}`);

  // The same chat on the in-process baseline; its turn-1 context gives an independent bound for turn 2.
  const r1 = await raw.reply(user(p1), { budget });
  const turns2 = [{ role: 'user', text: p1 }, { role: 'assistant', text: r1.answer }, { role: 'user', text: p2 }];
  const prompt2 = raw.promptTokens(turns2);
  const shared = commonPrefix(r1.contextTokens, prompt2);
  const bound = prompt2.length - shared;
  const r2 = await raw.reply(turns2, { budget });
  const hostAnswer = t1.turn.answer;
  return {
    prompt1Tokens: s1.promptTokens,
    prompt2Tokens: s2.promptTokens,
    evaluated: s2.evaluatedTokens,
    reusedReported: s2.reusedTokens,
    ratio: s2.evaluatedTokens / s2.promptTokens,
    boundReported: s2.promptTokens - s2.reusedTokens,
    extra: s2.evaluatedTokens - (s2.promptTokens - s2.reusedTokens),
    boundIndependent: bound,
    extraIndependent: s2.evaluatedTokens - bound,
    sameAnswerAsBaseline: hostAnswer === r1.answer,
    promptMatchesBaseline: s2.promptTokens === prompt2.length,
    raw: { evaluated: r2.evaluated, prompt: r2.promptTokens, reused: r2.reused },
  };
}

/** 5. Stop → stream ended: stop at a point spread over one token interval; no chunk may reach the webview after. */
async function stop(host, raw, { reps, afterChunks, tokenMs }) {
  const delay = (i) => Math.round(((i + 0.5) / reps) * tokenMs);
  const prompt = (i) => variant('stop run', i);
  const r = await interleave(reps, async (i) => {
    host.newChat();
    let n = 0;
    let stopAt;
    let late = 0;
    const res = await host.send(prompt(i), {
      budget: afterChunks + 200, // ends by itself if stopping failed
      onPost: (m) => {
        if (m.type !== 'panel/chunk') return;
        if (stopAt !== undefined) late++;
        else if (++n === afterChunks) setTimeout(() => ((stopAt = performance.now()), host.stop()), delay(i));
      },
    });
    if (res.turn.outcome.stopReason !== 'aborted') throw new Error(`host stop: turn ended with ${res.turn.outcome.stopReason}`);
    return { ms: res.ended - stopAt, late };
  }, async (i) => {
    const ac = new AbortController();
    let n = 0;
    let stopAt;
    const res = await raw.reply(user(prompt(i)), {
      budget: afterChunks + 200,
      signal: ac.signal,
      onChunk: () => {
        if (++n === afterChunks) setTimeout(() => ((stopAt = performance.now()), ac.abort()), delay(i));
      },
    });
    return { ms: res.ended - stopAt };
  });
  return {
    host: median(r.a.map((x) => x.ms)),
    hostMax: max(r.a.map((x) => x.ms)),
    raw: median(r.b.map((x) => x.ms)),
    added: median(r.a.map((x, i) => x.ms - r.b[i].ms)),
    lateChunks: r.a.reduce((n, x) => n + x.late, 0),
    perRep: r.a.map((x) => round(x.ms, 1)),
  };
}

/**
 * Runs figures 1, 2, 3, 5 on one model. `cfg`: { label, modelPath, threads, contextSize, reps, streamTokens, ttftReps?,
 * stopReps?, tg?: ({ n, depth }) => llama-bench result }.
 * Returns raw numbers; bench/run.mjs turns them into figures.
 */
export async function engineBench(cfg) {
  const settings = { modelPath: cfg.modelPath, threads: cfg.threads, contextSize: cfg.contextSize };
  log(`${cfg.label}: loading the model in the worker and in process (threads ${cfg.threads}, context ${cfg.contextSize})…`);
  const host = new HostPipeline();
  const raw = await RawEngine.load(settings);
  try {
    await host.load(settings);
    // Warm both (first evaluation allocates buffers).
    await host.send(`Warm-up. ${BODY}`, { budget: 4 });
    await raw.reply(user(`Warm-up. ${BODY}`), { budget: 4 });

    log(`${cfg.label}: streaming (${cfg.reps} × ${cfg.streamTokens} tokens per side)…`);
    const s = await streaming(host, raw, { reps: cfg.reps, tokens: cfg.streamTokens, tg: cfg.tg });
    log(`${cfg.label}: time to first token…`);
    const t = await ttft(host, raw, { reps: cfg.ttftReps ?? cfg.reps + 2 });
    log(`${cfg.label}: two-turn chat…`);
    const two = await turnTwo(host, raw, { budget: 16 });
    log(`${cfg.label}: stop…`);
    const st = await stop(host, raw, { reps: cfg.stopReps ?? cfg.reps + 2, afterChunks: 5, tokenMs: s.msPerToken });
    if (host.errors.length) log(`${cfg.label}: host reported errors: ${host.errors.slice(0, 3).join(' | ')}`);
    return { systemInfo: raw.llama.systemInfo, streaming: s, ttft: t, turnTwo: two, stop: st, hostErrors: host.errors.slice(0, 10) };
  } finally {
    await host.dispose();
    await raw.dispose();
  }
}
