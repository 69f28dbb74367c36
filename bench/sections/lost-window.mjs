// Figure 8: the browser page is lost mid-thought (renderer crashed: the server hears no goodbye and keeps the
// extension host) → Ponder's liveness check stops the generation. Measured from outside: the crash's wall-clock time
// to the "Turn ended: aborted" line in the extension host's log file (code-server + headless Chromium, tiny model).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer, withWorkbench } from '../../test/vscode/harness/run-suite.mjs';
import { closeMidThought } from '../../test/vscode/ui/liveness.ui.mjs';
import { benchOut, log, repoRoot } from '../lib/util.mjs';

const require = createRequire(import.meta.url);

export async function lostWindowBench({ reps, model }) {
  await ensureCodeServer();
  const { LIVENESS } = require(path.join(benchOut, 'pipeline.cjs')); // the product's own constants
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-lost-'));
    cpSync(path.join(repoRoot, 'test/fixtures/workspace'), ws, { recursive: true });
    try {
      const userSettings = { 'ponder.model': model, 'ponder.threads': 1, 'ponder.contextSize': 16384, 'ponder.maxGeneratedTokens': 0, 'ponder.idleUnloadMinutes': 0, 'workbench.startupEditor': 'none' };
      const r = await withWorkbench({ label: 'bench-lost-window', extensionPath: repoRoot, workspace: ws, userSettings }, ({ page, server }) => closeMidThought({ page, userDataDir: server.userDataDir }));
      if (!/Turn ended: aborted/.test(r.line)) throw new Error(`the turn did not end by the liveness check: ${r.line}`);
      log(`lost window run ${i + 1}/${reps}: stopped ${r.delayMs} ms after the page was lost`);
      runs.push(r.delayMs);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  }
  return { runs, bound: LIVENESS.quietMs + LIVENESS.probeTimeoutMs + LIVENESS.heartbeatMs, liveness: LIVENESS };
}
