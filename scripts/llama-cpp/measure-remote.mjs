// One measurement, not a test: Ponder's delivered tokens/s through the remote engine vs llama-server's own reported
// generation rate, on the same request. Needs `node esbuild.mjs && npx tsc -p test/tsconfig.json` first.
//   node scripts/llama-cpp/measure-remote.mjs [model.gguf] [threads] [thinking-tokens]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { startLlamaServer } = require(path.join(root, 'out/test/support/llama-server.js'));
const { newClient } = require(path.join(root, 'out/test/support/engine.js'));
const { ensureScenarioModel } = await import(path.join(root, 'scripts/gguf/generate-model.mjs'));

const model = process.argv[2] || (await ensureScenarioModel('long-thought', path.join(root, '.cache/test-models')));
const threads = process.argv[3] || '1';
const budget = Number(process.argv[4] || 400);
const server = await startLlamaServer(model, ['-t', threads, '-tb', threads]);
const client = newClient();
try {
  await client.load({ kind: 'openai-compatible', baseUrl: server.baseUrl, model: '', timeoutMs: 600_000 });
  await client.chat('warm', [{ role: 'user', text: 'warm up' }], { maxThinkingTokens: 8 }).result;
  const logStart = server.logs.length;
  let first, last, chunks = 0;
  const r = await client.chat('m', [{ role: 'user', text: 'think about it' }], { maxThinkingTokens: budget }, {
    onChunk: () => {
      last = performance.now();
      first ??= last;
      chunks++;
    },
  }).result;
  await new Promise((res) => setTimeout(res, 200));
  const evalLine = server.logs.slice(logStart).find((l) => /\beval time =/.test(l) && !/prompt eval/.test(l)) ?? '';
  const m = /eval time =\s*([\d.]+) ms \/\s*(\d+) tokens.*?([\d.]+) tokens per second/.exec(evalLine);
  const generated = r.stats.thinkingTokens + r.stats.answerTokens;
  const hostRate = first !== undefined && last > first ? (chunks - 1) / ((last - first) / 1000) : 0;
  console.log(JSON.stringify({
    model: path.basename(model), threads: Number(threads),
    generatedTokens: generated,
    server: m ? { tokens: Number(m[2]), ms: Number(m[1]), tokensPerSecond: Number(m[3]) } : evalLine,
    ponderWorker: { tokensPerSecond: r.stats.tokensPerSecond, timeToFirstTokenMs: r.stats.timeToFirstTokenMs, durationMs: r.stats.durationMs },
    ponderHost: { chunks, chunksPerSecond: Math.round(hostRate * 10) / 10 },
  }, null, 2));
} finally {
  await client.dispose();
  await server.stop();
}
