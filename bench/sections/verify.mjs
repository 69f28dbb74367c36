// Verify after Apply (issue 12): (a) a repair turn's evaluated ÷ prompt tokens with the LOCAL engine — the follow-up
// turn in the same chat after an edit turn, through the host pipeline (ChatController → forked worker), so the KV
// cache of turn 1 is reused; (b) Apply → verification line with the TypeScript service warm, in a real extension host
// (test/vscode/bench-suite/verify.ts), median of several Applies, the quiet period reported on its own.
import { readFileSync, rmSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { HostPipeline } from '../lib/host-pipeline.mjs';
import { benchOut, log, median, repoRoot } from '../lib/util.mjs';
import { ensureCodeServer, runExtensionTests } from '../../test/vscode/harness/run-suite.mjs';

const BEFORE = 'export function sum(xs: readonly number[]): number {\n  let total = 0;\n  for (const x of xs) total += x;\n  return totl;\n}\n';
const AFTER = BEFORE.replace('return totl;', 'return totals;');

/** The product's repair prompt (src/core/verify), bundled for Node. */
async function repairPromptBuilder() {
  const out = path.join(benchOut, 'verify-core.cjs');
  await esbuild.build({ entryPoints: [path.join(repoRoot, 'src/core/verify/index.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  return createRequire(import.meta.url)(out).buildRepairPrompt;
}

export async function repairKvBench({ modelPath, label, threads, contextSize, reps }) {
  const buildRepairPrompt = await repairPromptBuilder();
  const fixPrompt = `Fix this TypeScript in src/totals.ts. The problem: line 4: Cannot find name 'totl'. Did you mean 'total'?\n\n\`\`\`ts\n${BEFORE}\`\`\`\nAnswer with the corrected function in one ts code block.`;
  const repair = buildRepairPrompt({ relPath: 'src/totals.ts', before: BEFORE, after: AFTER, round: 1,
    problems: [{ message: "Cannot find name 'totals'. Did you mean 'total'?", code: '2552', source: 'ts', severity: 'error', line: 3, character: 9, endLine: 3 }] });
  const host = new HostPipeline();
  const runs = [];
  try {
    log(`verify: ${label}: loading (threads ${threads}, context ${contextSize})…`);
    await host.load({ modelPath, threads, contextSize });
    await host.send('Warm-up.', { budget: 4 });
    for (let i = 0; i < reps; i++) {
      host.newChat();
      const t1 = await host.send(`${fixPrompt}\n(run ${i})`, { budget: 48 });
      const t2 = await host.send(repair, { budget: 16 });
      const s1 = t1.turn.outcome.stats;
      const s2 = t2.turn.outcome.stats;
      if (!s1 || !s2) throw new Error(`edit/repair chat failed: ${t1.turn.outcome.error ?? t2.turn.outcome.error ?? 'no stats'}`);
      runs.push({ prompt1: s1.promptTokens, prompt2: s2.promptTokens, evaluated: s2.evaluatedTokens, reused: s2.reusedTokens, ratio: s2.evaluatedTokens / s2.promptTokens });
      log(`verify: repair turn ${i + 1}/${reps}: evaluated ${s2.evaluatedTokens} of ${s2.promptTokens} prompt tokens (turn 1: ${s1.promptTokens})`);
    }
  } finally {
    await host.dispose();
  }
  const mid = runs.slice().sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)];
  return { label, ratio: median(runs.map((r) => r.ratio)), median: mid, runs, repairPromptChars: repair.length };
}

/** (b): one code-server run; the probe applies `reps` edits to a TS file with the TypeScript service warm. */
export async function applyToLineBench({ reps, quietMs }) {
  await ensureCodeServer();
  const ws = mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-verify-'));
  const out = path.join(benchOut, 'verify-apply.json');
  rmSync(out, { force: true });
  try {
    mkdirSync(path.join(ws, 'src'), { recursive: true });
    writeFileSync(path.join(ws, 'src', 'totals.ts'), BEFORE);
    writeFileSync(path.join(ws, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'commonjs' } }));
    const code = await runExtensionTests({
      label: 'bench-verify', extensionPath: repoRoot, testsPath: path.join(benchOut, 'bench-suite', 'verify.js'), workspace: ws,
      userSettings: { 'ponder.verify.quietPeriodMs': quietMs, 'workbench.startupEditor': 'none' },
      env: { PONDER_BENCH_OUT: out, PONDER_BENCH_REPS: String(reps) }, timeoutMs: 300_000,
    });
    let json;
    try {
      json = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`verify probe wrote no result (exit code ${code}); see the [ext-host] lines above`);
    }
    if (json.error) throw new Error(`verify probe failed: ${json.error}`);
    return { quietMs, ...json, medianMs: median(json.samples.map((s) => s.ms)) };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
