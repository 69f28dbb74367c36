// `npm start`: build, then open the extension on a demo workspace — desktop VS Code if `code` is on PATH,
// otherwise a local code-server (no internet needed) that you open in your own browser.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoSource = path.join(repoRoot, 'scripts', 'demo-workspace');
const demoCopy = path.join(repoRoot, '.cache', 'demo-workspace');

const say = (msg = '') => console.log(msg);
const fail = (msg) => { console.error(`\n[start] ${msg}`); process.exit(1); };

function build() {
  // The dev extension loads dist/: build it first and stop on errors.
  say('[start] building (node esbuild.mjs)…');
  if (!fs.existsSync(path.join(repoRoot, 'esbuild.mjs'))) fail('esbuild.mjs not found at the repo root.');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.error) fail(`build could not run: ${r.error.message}`);
  if (r.status !== 0) fail(`build failed (exit ${r.status ?? r.signal}); see the messages above.`);
}

function freshDemoWorkspace() {
  // A throwaway copy, so Ponder's edits never touch the checked-in demo (and each start has the bug again).
  fs.rmSync(demoCopy, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(demoCopy), { recursive: true });
  fs.cpSync(demoSource, demoCopy, { recursive: true });
  return demoCopy;
}

function modelSetting() {
  // PONDER_MODEL → ponder.model; made absolute here because `~` and relative paths would resolve elsewhere.
  const raw = process.env.PONDER_MODEL?.trim();
  if (!raw) return undefined;
  if (/^[a-z][\w+.-]*:/i.test(raw) && !/^[a-z]:[\\/]/i.test(raw)) return raw; // a URI-like value: pass through
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  const abs = path.resolve(process.env.INIT_CWD || process.cwd(), expanded);
  if (!fs.existsSync(abs)) console.warn(`[start] warning: PONDER_MODEL file not found: ${abs}`);
  return abs;
}

function onPath(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

/** No model given: generate the scripted demo model (offline, ~0.5 MB) so the panel and code actions can be tried. */
async function demoModel() {
  const { ensureScenarioModel } = await import('./gguf/generate-model.mjs');
  return ensureScenarioModel('edit', path.join(repoRoot, '.cache', 'test-models'));
}

function printModelHelp(model, demo) {
  if (demo) {
    say(`  Model: a generated DEMO model (${model}): it always gives the same scripted R1-style reply.`);
    say('  For real answers restart with a DeepSeek-R1 distill .gguf, e.g.:');
    say('    PONDER_MODEL=/path/to/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf npm start');
    return;
  }
  if (model) { say(`  Model: ${model}`); return; }
  say('  No model configured. Restart with a DeepSeek-R1 distill .gguf, e.g.:');
  say('    PONDER_MODEL=/path/to/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf npm start');
  say('  (or set "ponder.model" in the settings of the opened window).');
}

function startDesktop(workspace, model, demo) {
  // Desktop VS Code has no user-settings flag: put ponder.model in the demo copy's workspace settings.
  if (model) {
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'ponder.model': model }, null, 2) + '\n');
  }
  say(`[start] opening VS Code: code --extensionDevelopmentPath=${repoRoot} ${workspace}`);
  printModelHelp(model, demo);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function startBrowser(workspace, model, demo) {
  const { ensureCodeServer, startCodeServer, workbenchUrl, CODE_SERVER_VERSION } = await import('../test/vscode/harness/code-server.mjs');
  const port = Number(process.env.PONDER_PORT || 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PONDER_PORT is not a valid port: ${process.env.PONDER_PORT}`);
  if (!(await portIsFree(port))) fail(`port ${port} on 127.0.0.1 is in use; pick another with PONDER_PORT=8081 npm start`);
  try {
    await ensureCodeServer();
  } catch (err) { fail(`could not install code-server:\n${err.message}`); }
  say(`[start] starting code-server ${CODE_SERVER_VERSION} on 127.0.0.1:${port}…`);
  let server;
  try {
    server = await startCodeServer({ port, workspace, userSettings: { 'ponder.model': model, ...(demo ? { 'ponder.threads': 1 } : {}) } });
  } catch (err) { fail(`code-server did not start:\n${err.message}`); }

  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: repoRoot });
  say('');
  say('  Ponder is running in code-server (VS Code in your browser).');
  say('');
  say(`  Open this URL in a browser:\n    ${url}`);
  say('');
  say(`  Use 127.0.0.1:${port} exactly as printed: the dev extension is loaded from vscode-remote://127.0.0.1:${port}.`);
  say(`  Demo workspace (fresh copy): ${workspace}`);
  printModelHelp(model, demo);
  say('');
  say('  Stop: press Ctrl+C here.');
  say('');

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return; stopping = true;
    say('\n[start] stopping code-server…');
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));
  const exited = await server.exited; // keeps the process in the foreground until the server dies or Ctrl+C
  if (!stopping) {
    console.error(`[start] code-server exited unexpectedly (${exited}). Last log lines:\n${server.logs.slice(-20).join('\n')}`);
    await stop(1);
  }
}

build();
const workspace = freshDemoWorkspace();
const given = modelSetting();
const demo = !given;
const model = given ?? await demoModel();
if (onPath('code') && process.env.PONDER_START_MODE !== 'code-server') startDesktop(workspace, model, demo);
else await startBrowser(workspace, model, demo);
