// Builds what the benchmarks run: the product (esbuild.mjs → dist/), the host pipeline and the repository map's
// client for plain Node, and the suite that runs inside the real extension host (from the product's own sources,
// into bench/out/).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { benchOut, repoRoot } from './util.mjs';

export async function buildAll() {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node esbuild.mjs exited ${r.status ?? r.signal}`);
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: false, logLevel: 'warning' };
  await Promise.all([
    esbuild.build({
      ...common,
      stdin: {
        contents: "export { ChatController } from './src/extension/chat/chat-controller';\nexport { EngineClient } from './src/extension/engine/engine-client';\nexport { LIVENESS } from './src/core/protocol/panel';\nexport { engineWorkerEnv } from './src/core/runtime/worker-env';\n",
        resolveDir: repoRoot,
        loader: 'ts',
        sourcefile: 'bench-pipeline.ts',
      },
      outfile: path.join(benchOut, 'pipeline.cjs'),
    }),
    esbuild.build({
      ...common,
      stdin: {
        contents: "export { MapClient } from './src/extension/repomap/map-client';\nexport { Tagger } from './src/worker/repomap/tagger';\nexport { grammarFor } from './src/core/repomap/languages';\nexport { estimateTokens } from './src/core/context/tokens';\n",
        resolveDir: repoRoot,
        loader: 'ts',
        sourcefile: 'bench-repomap.ts',
      },
      outfile: path.join(benchOut, 'repomap.cjs'),
    }),
    // The worker's token predictor as the engine uses it (node-llama-cpp is ESM-only: an ES module, the package external).
    esbuild.build({
      ...common,
      format: 'esm',
      entryPoints: [path.join(repoRoot, 'src/worker/token-predictor.ts')],
      outfile: path.join(benchOut, 'token-predictor.mjs'),
      external: ['node-llama-cpp'],
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(repoRoot, 'test/vscode/bench-suite/index.ts')],
      outfile: path.join(benchOut, 'bench-suite', 'index.js'),
      external: ['vscode'],
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(repoRoot, 'test/vscode/bench-suite/verify.ts')],
      outfile: path.join(benchOut, 'bench-suite', 'verify.js'),
      external: ['vscode'],
    }),
  ]);
}
