// Speculative decoding through Ponder's worker (issue 13): the host pipeline (ChatController → EngineClient → forked
// dist/worker.mjs) with `ponder.speculative` auto vs off, interleaved, on the same big scripted models as the
// in-process sections — to show the worker delivers the gain node-llama-cpp gives directly.
//   lookup: the 1.5B-shaped edit model (the prompt fences code, so auto turns prompt lookup on);
//   draft:  the 7B-shaped target loaded with each scripted draft (auto drafts; the prompt has no code, so no lookup),
//           with the engine's draft gate pausing a draft that loses — the product's behaviour, not the predictor's.
import { HostPipeline } from '../lib/host-pipeline.mjs';
import { DRAFT_PROMPT, LOOKUP_PROMPT } from '../lib/spec-scripts.mjs';
import { draftModel, lookupModel, targetModel } from '../lib/spec-models.mjs';
import { log, median } from '../lib/util.mjs';

/** One turn in a new chat: answer tok/s measured at the controller's posts (after the thought), the worker's stats. */
async function turn(host, prompt, mode) {
  host.newChat();
  host.speculative = mode;
  let lastReasoning = NaN;
  let firstAnswer = NaN;
  let lastAnswer = NaN;
  const t = await host.send(prompt, {
    onPost: (m, at) => {
      if (m.type !== 'panel/chunk') return;
      if (m.kind === 'reasoning') lastReasoning = at;
      else {
        if (!Number.isFinite(firstAnswer)) firstAnswer = at;
        lastAnswer = at;
      }
    },
  });
  const stats = t.turn.outcome.stats ?? {};
  const from = Number.isFinite(lastReasoning) ? lastReasoning : firstAnswer;
  return {
    answer: t.turn.outcome.answer ?? t.turn.answer ?? '',
    answerTokens: stats.answerTokens, thinkingTokens: stats.thinkingTokens,
    answerTps: stats.answerTokens / ((lastAnswer - from) / 1000),
    tps: stats.tokensPerSecond,
    prediction: stats.prediction,
  };
}

async function pairs(host, prompt, reps) {
  const runs = { auto: [], off: [] };
  for (let r = 0; r < reps; r++) {
    for (const mode of r % 2 ? ['off', 'auto'] : ['auto', 'off']) runs[mode].push(await turn(host, prompt, mode));
  }
  const ratio = (key) => median(runs.auto.map((a, i) => a[key] / runs.off[i][key]));
  return {
    answerRatio: ratio('answerTps'), ratio: ratio('tps'),
    autoAnswerTps: median(runs.auto.map((r) => r.answerTps)), offAnswerTps: median(runs.off.map((r) => r.answerTps)),
    autoTps: median(runs.auto.map((r) => r.tps)), offTps: median(runs.off.map((r) => r.tps)),
    sameOutput: runs.auto.every((r, i) => r.answer === runs.off[i].answer && r.answer.length > 0),
    prediction: runs.auto.map((r) => r.prediction),
    perRep: runs,
  };
}

/**
 * `lookup`: the edit model, auto vs off. `draftAcceptances`: the 7B-shaped target loaded with each scripted draft in
 * turn, auto vs off — through the worker the draft gate (src/core/speculation/draft-gate.ts) pauses a losing draft,
 * so these rows show what a user gets, next to spec-draft's rows for node-llama-cpp's predictor alone.
 */
export async function specWorkerBench({ reps = 3, lookup = true, draftAcceptances = [0, 0.5, 0.7, 0.9], draftMaxTokens = 192 } = {}) {
  const out = {};
  let host;
  if (lookup) {
    host = new HostPipeline();
    try {
      log('spec-worker: lookup model through the worker, speculative auto vs off…');
      await host.load({ modelPath: await lookupModel(), threads: 2, contextSize: 4096 });
      out.lookup = await pairs(host, LOOKUP_PROMPT, reps);
    } finally {
      await host.dispose();
    }
  }
  out.drafts = [];
  for (const acceptance of draftAcceptances) {
    host = new HostPipeline();
    try {
      log(`spec-worker: 7B-shaped target + ${Math.round(acceptance * 100)} % draft through the worker, speculative auto vs off, ${draftMaxTokens} tokens…`);
      await host.load({ modelPath: await targetModel(), draftModelPath: await draftModel(acceptance), threads: 2, contextSize: 2048 });
      host.maxGenerated = draftMaxTokens;
      out.drafts.push({ acceptance, maxTokens: draftMaxTokens, ...(await pairs(host, DRAFT_PROMPT, reps)) });
    } finally {
      await host.dispose();
    }
  }
  return out;
}
