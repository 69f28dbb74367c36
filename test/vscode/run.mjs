// Real-VS-Code tests: the mocha suite inside code-server's extension host, then Playwright UI scenarios.
// Models are generated (scripts/gguf) and handed over through settings and environment variables.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureChromium, ensureCodeServer, repoRoot, runExtensionTests } from './harness/run-suite.mjs';
import { EDIT_SAMPLE_FIXED, ensureScenarioModel, HOSTILE_ANSWER, SCENARIOS } from '../../scripts/gguf/generate-model.mjs';
import { uiScenarios } from './ui/panel.ui.mjs';
import { featureScenarios } from './ui/panel-features.ui.mjs';
import { editScenarios } from './ui/edits.ui.mjs';
import { modelScenarios } from './ui/models.ui.mjs';
import { composerScenarios } from './ui/composer.ui.mjs';
import { livenessScenarios } from './ui/liveness.ui.mjs';
import { trustScenarios } from './ui/trust.ui.mjs';
import { verifyTrustScenarios } from './ui/verify-trust.ui.mjs';
import { demoScenarios } from './ui/demo.ui.mjs';
import { pickerScenarios } from './ui/pickers.ui.mjs';
import { scriptedScenarios } from './ui/scripted.ui.mjs';

const started = Date.now();
try {
  ensureChromium();
} catch (e) {
  console.error(`✖ ${e.message}`);
  process.exit(1);
}
await ensureCodeServer();

const modelsDir = path.join(repoRoot, '.cache', 'test-models');
const models = Object.fromEntries(await Promise.all(['short', 'long-thought', 'hostile', 'edit', 'loop-answer'].map(async (n) => [n, await ensureScenarioModel(n, modelsDir)])));
const baseSettings = { 'ponder.threads': 1, 'ponder.contextSize': 2048, 'ponder.idleUnloadMinutes': 0, 'workbench.startupEditor': 'none' };

function freshWorkspace() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponder-ws-'));
  cpSync(path.join(repoRoot, 'test/fixtures/workspace'), dir, { recursive: true });
  return dir;
}

/** The remote-engine suite: llama-server with an API key serves the `edit` model; Ponder gets the key via ponder.setApiKey. */
async function runRemoteSuite() {
  const { startLlamaServer } = await import('../../out/test/support/llama-server.js');
  const key = `sk-ponder-test-${process.pid}`;
  const server = await startLlamaServer(models.edit, ['--api-key', key]);
  const ws = freshWorkspace();
  try {
    return 0 === await runExtensionTests({
      label: 'remote-engine-suite',
      extensionPath: repoRoot,
      testsPath: path.join(repoRoot, 'out/test/vscode/suite/remote/index.js'),
      workspace: ws,
      userSettings: { ...baseSettings, 'ponder.engine': 'openai-compatible', 'ponder.remote.baseUrl': server.baseUrl },
      env: { PONDER_TEST_REMOTE_KEY: key, PONDER_TEST_EDIT_FIXED: EDIT_SAMPLE_FIXED },
      timeoutMs: 180_000,
    });
  } finally {
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}

/** The repository-map suite on its own ~30-file fixture (3 languages), trusted and then in Restricted Mode. */
async function runRepoMapSuite(trust) {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'ponder-repomap-'));
  cpSync(path.join(repoRoot, 'test/fixtures/repomap'), ws, { recursive: true });
  try {
    return 0 === await runExtensionTests({
      label: `repomap-suite-${trust}`,
      extensionPath: repoRoot,
      testsPath: path.join(repoRoot, 'out/test/vscode/suite/repomap/index.js'),
      workspace: ws,
      trust,
      userSettings: { ...baseSettings, 'ponder.model': models.short },
      env: { PONDER_TEST_RESTRICTED: trust === 'restricted' ? '1' : '0' },
      timeoutMs: 180_000,
    });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

/**
 * Flows that need different answers in turn (Ask Ponder to redo it): the real remote engine against the SCRIPTED
 * STAND-IN server (test/support/scripted-server.ts, not a model), which the suite scripts and reads over HTTP.
 */
async function runScriptedSuite() {
  const { startScriptedServer } = await import('../../out/test/support/scripted-server.js');
  const server = await startScriptedServer();
  const ws = freshWorkspace();
  try {
    return 0 === await runExtensionTests({
      label: 'scripted-edits-suite',
      extensionPath: repoRoot,
      testsPath: path.join(repoRoot, 'out/test/vscode/suite/scripted/index.js'),
      workspace: ws,
      userSettings: { ...baseSettings, 'ponder.engine': 'openai-compatible', 'ponder.remote.baseUrl': server.baseUrl },
      env: { PONDER_TEST_SCRIPTED_ROOT: server.root },
      timeoutMs: 180_000,
    });
  } finally {
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}

const results = [];
const workspace = freshWorkspace();
try {
  // PONDER_ONLY=<text> runs only the UI scenarios whose name contains it; PONDER_ONLY=suite only the host suite.
  const only = ['suite', 'vsix'].includes(process.env.PONDER_ONLY ?? '') ? undefined : process.env.PONDER_ONLY;
  const suiteOnly = process.env.PONDER_ONLY === 'suite';
  const vsixOnly = process.env.PONDER_ONLY === 'vsix';
  const code = only || vsixOnly ? 0 : await runExtensionTests({
    label: 'extension-host-suite',
    extensionPath: repoRoot,
    testsPath: path.join(repoRoot, 'out/test/vscode/suite/index.js'),
    workspace,
    userSettings: { ...baseSettings, 'ponder.model': models.short },
    env: { PONDER_TEST_SHORT_ANSWER: SCENARIOS.short.answer, PONDER_TEST_EDIT_MODEL: models.edit, PONDER_TEST_EDIT_FIXED: EDIT_SAMPLE_FIXED, PONDER_TEST_LOOP_MODEL: models['loop-answer'] },
    timeoutMs: 360_000,
  });
  if (!only && !vsixOnly) results.push(['extension-host suite', code === 0]);
  // The same editor flows with ponder.engine=openai-compatible, against a real llama-server (built once, cached).
  if (!suiteOnly && !vsixOnly && (!only || 'remote-engine'.includes(only))) results.push(['remote-engine suite (real llama-server)', await runRemoteSuite()]);
  if (!suiteOnly && !vsixOnly && (!only || 'scripted-edits'.includes(only))) results.push(['scripted-edits suite (scripted stand-in server)', await runScriptedSuite()]);
  if (!suiteOnly && !vsixOnly && (!only || 'repomap'.includes(only))) {
    results.push(['repository map suite (@workspace)', await runRepoMapSuite('trusted')]);
    results.push(['repository map suite (Restricted Mode)', await runRepoMapSuite('restricted')]);
  }
  // The packaged artifact: build the VSIX, install it into code-server, run the smoke suite against it.
  if (!only && !suiteOnly && process.env.PONDER_SKIP_VSIX !== '1') {
    const pack = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    const vsix = /VSIX: (\S+\.vsix)/.exec(pack.stdout ?? '')?.[1];
    console.log(pack.stdout?.split('\n').filter((l) => /VSIX:|DONE/.test(l)).join('\n'));
    const vsixCode = pack.status !== 0 || !vsix ? 1 : await runExtensionTests({
      label: 'vsix-smoke',
      testsPath: path.join(repoRoot, 'out/test/vscode/vsix-suite/index.js'),
      extensionsToInstall: [vsix],
      workspace: freshWorkspace(),
      userSettings: { ...baseSettings, 'ponder.model': models.short },
      env: { PONDER_TEST_EDIT_MODEL: models.edit, PONDER_TEST_EDIT_FIXED: EDIT_SAMPLE_FIXED },
      timeoutMs: 180_000,
    });
    results.push(['packaged VSIX smoke suite', vsixCode === 0]);
  }
  for (const s of [...uiScenarios, ...featureScenarios, ...editScenarios, ...modelScenarios, ...trustScenarios, ...verifyTrustScenarios, ...composerScenarios, ...livenessScenarios, ...scriptedScenarios, ...demoScenarios, ...pickerScenarios].filter((x) => !suiteOnly && !vsixOnly && (!only || x.name.includes(only)))) {
    // A scenario written ahead of the change it checks says so; PONDER_PENDING=1 runs it anyway.
    if (s.pending && process.env.PONDER_PENDING !== '1') {
      console.log(`- pending (${s.pending}): ${s.name}`);
      continue;
    }
    const ok = await s.run({ models, baseSettings, workspace: freshWorkspace(), scenarios: SCENARIOS, hostileAnswer: HOSTILE_ANSWER, editFixed: EDIT_SAMPLE_FIXED }).then(
      () => true,
      (e) => (console.error(`✖ ${s.name}: ${e.stack ?? e}`), false),
    );
    console.log(`${ok ? '✔' : '✖'} UI: ${s.name}`);
    results.push([`UI: ${s.name}`, ok]);
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

const failed = results.filter(([, ok]) => !ok);
console.log(`\nreal VS Code: ${results.length - failed.length}/${results.length} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed.length ? 1 : 0);
