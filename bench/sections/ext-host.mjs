// Figures 4 and 6b in the real extension host (code-server + headless Chromium, test/vscode/harness): the probe
// test/vscode/bench-suite runs as `extensionTestsPath` and writes JSON. The development extension is a staged copy of
// Ponder (`onStartupFinished` left out so the probe can time activate() itself; the host bundle minified as in the
// VSIX); an empty extension, packaged and installed, gives the baseline activation.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bigWorkspace, BIG_PATH } from '../lib/big-file.mjs';
import { benchOut, log, repoRoot } from '../lib/util.mjs';
import { buildHost } from '../../esbuild.mjs';
import { ensureCodeServer, runExtensionTests } from '../../test/vscode/harness/run-suite.mjs';

/**
 * A copy of Ponder to activate: package.json without `onStartupFinished`, node_modules/media/the other dist files
 * linked, and dist/extension.js built as the VSIX ships it (esbuild.mjs --production: minified, no source map).
 */
async function stagePonder(dir) {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  pkg.activationEvents = (pkg.activationEvents ?? []).filter((e) => e !== 'onStartupFinished' && e !== '*');
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const d of ['node_modules', 'media']) symlinkSync(path.join(repoRoot, d), path.join(dir, d));
  for (const f of readdirSync(path.join(repoRoot, 'dist'))) {
    if (!f.startsWith('extension')) symlinkSync(path.join(repoRoot, 'dist', f), path.join(dir, 'dist', f));
  }
  // The host (extension.js and the extension-lazy.js it loads on first use, built together: not links, because the lazy
  // file requires ./extension.js beside its real path) with esbuild.mjs's --production settings.
  const r = await buildHost({ outdir: path.join(dir, 'dist'), absWorkingDir: repoRoot, minify: true, sourcemap: false });
  if (r.errors.length) throw new Error('host build failed');
  return `${pkg.publisher}.${pkg.name}`;
}

function stageEmpty(dir) {
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: 'empty', publisher: 'ponder-bench', version: '0.0.1', engines: { vscode: '^1.100.0' }, main: './extension.js', activationEvents: [],
    description: 'Benchmark baseline: an extension whose activate() does nothing.',
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = () => {};\nexports.deactivate = () => {};\n');
  const vsix = path.join(dir, 'empty.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--no-dependencies', '-o', vsix], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package (empty extension) failed: ${r.stderr || r.stdout}`);
  return { id: `${pkg.publisher}.${pkg.name}`, vsix };
}

function stageWorkspace(dir) {
  const { files, target } = bigWorkspace();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return { big: path.join(dir, BIG_PATH), line: target.startLine + 10 }; // inside the target function's body
}

/**
 * `reps` fresh hosts (activation happens once per host), then one more whose activation runs under the CPU profiler
 * (a diagnostic: where activate()'s time goes; not counted in the figures). `chatModel`: a tiny model for a first chat.
 */
export async function extHostBench({ reps, gatherReps, chatModel, profile = true }) {
  await ensureCodeServer();
  const root = mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-host-'));
  const runs = [];
  let profileRun;
  try {
    const ponderId = await stagePonder(path.join(root, 'ponder'));
    const empty = stageEmpty(path.join(root, 'empty'));
    for (let i = 0; i < reps + (profile ? 1 : 0); i++) {
      const profiling = i === reps;
      const ws = path.join(root, `ws-${i}`);
      const { big, line } = stageWorkspace(ws);
      const out = path.join(benchOut, `ext-host-${i}.json`);
      rmSync(out, { force: true });
      const t0 = Date.now();
      const code = await runExtensionTests({
        label: 'bench-ext-host',
        extensionPath: path.join(root, 'ponder'),
        testsPath: path.join(benchOut, 'bench-suite', 'index.js'),
        extensionsToInstall: [empty.vsix],
        workspace: ws,
        userSettings: { 'ponder.model': chatModel, 'ponder.threads': 1, 'ponder.contextSize': 2048, 'ponder.idleUnloadMinutes': 0, 'workbench.startupEditor': 'none' },
        env: {
          PONDER_BENCH_OUT: out, PONDER_BENCH_BIG: big, PONDER_BENCH_LINE: String(line), PONDER_BENCH_REPS: String(gatherReps),
          PONDER_BENCH_PONDER_ID: ponderId, PONDER_BENCH_EMPTY_ID: empty.id, ...(profiling ? { PONDER_BENCH_PROFILE: '1' } : {}),
        },
        timeoutMs: 180_000,
      });
      let json;
      try {
        json = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        throw new Error(`extension-host probe wrote no result (exit code ${code}); see the [ext-host] lines above`);
      }
      if (json.error) throw new Error(`extension-host probe failed: ${json.error}`);
      log(`ext-host run ${i + 1}/${reps}${profiling ? ' (profiled)' : ''}: activate ${json.activation.ponderMs.toFixed(1)} ms (empty ${json.activation.emptyMs.toFixed(1)} ms), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (profiling) profileRun = json;
      else runs.push(json);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { runs, profile: profileRun?.activation.profile, profiledActivateMs: profileRun?.activation.ponderMs };
}
