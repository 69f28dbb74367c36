// `npm start`: build, then open the extension on a demo workspace — desktop VS Code if `code` is on PATH,
// otherwise a local code-server (no internet needed) that you open in your own browser.
// One instance at a time: a lock (<state>/npm-start.lock) is taken and the port checked before anything is built or
// copied, so a second `npm start` leaves the running one's workspace alone. code-server runs in its own process
// group, watched by a detached watchdog that kills the group when this script (or the `npm` above it) dies, even by
// SIGKILL. Environment: PONDER_MODEL, PONDER_PORT (8080), PONDER_START_MODE=code-server (skip desktop `code`),
// PONDER_START_DIR (state folder, default .cache), PONDER_SKIP_BUILD=1 (tests: dist/ is already built).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoSource = path.join(repoRoot, 'scripts', 'demo-workspace');
const stateDir = path.resolve(process.env.PONDER_START_DIR || path.join(repoRoot, '.cache'));
const demoCopy = path.join(stateDir, 'demo-workspace');
const lockFile = path.join(stateDir, 'npm-start.lock');

const say = (msg = '') => console.log(msg);
const fail = (msg) => { console.error(`\n[start] ${msg}`); process.exit(1); };

/** The lock's holder if it is a live `npm start` (a pid reused by another program does not count). */
function lockHolder() {
  let held;
  try { held = JSON.parse(fs.readFileSync(lockFile, 'utf8')); } catch { return undefined; }
  if (!Number.isInteger(held?.pid) || held.pid === process.pid) return undefined;
  try { process.kill(held.pid, 0); } catch (e) { if (e.code !== 'EPERM') return undefined; }
  try {
    if (!fs.readFileSync(`/proc/${held.pid}/cmdline`, 'utf8').includes('start.mjs')) return undefined;
  } catch { /* no /proc: trust the pid */ }
  return held;
}

/** Takes the one-instance lock, or exits saying where the running instance is. Released when this process exits. */
function takeLock() {
  fs.mkdirSync(stateDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }) + '\n', { flag: 'wx' });
      process.on('exit', releaseLock);
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') fail(`cannot create ${lockFile}: ${e.message}`);
    }
    const held = lockHolder();
    if (held) {
      fail(`Ponder is already running from another \`npm start\` (pid ${held.pid}${held.url ? `, ${held.url}` : ''}).\n` +
        `  Its demo workspace was left untouched. Open that window, or stop it first (Ctrl+C in its terminal).`);
    }
    fs.rmSync(lockFile, { force: true }); // stale: its owner died without releasing it
  }
  fail(`could not take ${lockFile}: another \`npm start\` is starting at the same moment.`);
}

function releaseLock() {
  try { if (JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid === process.pid) fs.rmSync(lockFile, { force: true }); } catch { /* gone */ }
}

function updateLock(extra) {
  fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), ...extra }) + '\n');
}

/** This process's ancestors up to the `npm` that ran it (Linux): the watchdog stops code-server if one of them dies. */
function npmAncestors() {
  const out = [];
  let pid = process.ppid;
  for (let i = 0; i < 4 && pid > 1; i++) {
    let stat, cmd;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch { break; }
    out.push(pid);
    if (/(^|\/)npm(-cli\.js)?( |$)/.test(cmd) || /npm-cli\.js/.test(cmd)) return out;
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]); // field 4: ppid
  }
  return out.slice(0, 1); // not run by npm: watch the direct parent only
}

function build() {
  // The dev extension loads dist/: build it first and stop on errors.
  if (process.env.PONDER_SKIP_BUILD === '1') return;
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

/**
 * No model given: the demo engine (scripts/demo/engine.mjs), a scripted OpenAI-compatible server on 127.0.0.1 that
 * gives each deliberate problem of the demo workspace its own fix. A generated GGUF cannot: its greedy output is one
 * fixed reply whatever the prompt. It lives in this process, so it stops with `npm start`.
 */
async function demoEngine() {
  const { startDemoEngine } = await import('./demo/engine.mjs');
  const engine = await startDemoEngine();
  return { engine, settings: { 'ponder.engine': 'openai-compatible', 'ponder.remote.baseUrl': engine.baseUrl } };
}

/** The settings that choose the model: PONDER_MODEL's file, or the demo engine. */
async function modelChoice() {
  const given = modelSetting();
  if (given) return { demo: false, model: given, settings: { 'ponder.model': given } };
  const { engine, settings } = await demoEngine();
  return { demo: true, model: engine.baseUrl, settings };
}

function printModelHelp(model, demo) {
  if (demo) {
    say(`  Engine: the DEMO engine (${model}): scripted R1-style replies, no real model.`);
    say('  Each file in the demo workspace\'s src/ has one deliberate problem: click the red squiggle, then the lightbulb');
    say('  → Fix with Ponder. For real answers restart with a DeepSeek-R1 distill .gguf, e.g.:');
    say('    PONDER_MODEL=/path/to/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf npm start');
    return;
  }
  if (model) { say(`  Model: ${model}`); return; }
  say('  No model configured. Restart with a DeepSeek-R1 distill .gguf, e.g.:');
  say('    PONDER_MODEL=/path/to/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf npm start');
  say('  (or set "ponder.model" in the settings of the opened window).');
}

function startDesktop(workspace, { model, demo, settings }) {
  // Desktop VS Code has no user-settings flag: the choice goes in the demo copy's workspace settings. These settings
  // are restricted (Workspace Trust): trust the demo folder when VS Code asks, or Ponder ignores them.
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  say(`[start] opening VS Code: code --extensionDevelopmentPath=${repoRoot} ${workspace}`);
  printModelHelp(model, demo);
  say('  Trust the demo folder when VS Code asks (in Restricted Mode Ponder ignores a workspace\'s model and engine settings).');
  const r = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  if (!demo || r.status !== 0) process.exit(r.status ?? 1);
  say('  The demo engine runs as long as this script: press Ctrl+C here when you are done.');
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(0));
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function checkPort() {
  const port = Number(process.env.PONDER_PORT || 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PONDER_PORT is not a valid port: ${process.env.PONDER_PORT}`);
  if (!(await portIsFree(port))) fail(`port ${port} on 127.0.0.1 is in use; pick another with PONDER_PORT=8081 npm start`);
  return port;
}

async function startBrowser(port, workspace, { model, demo, settings }) {
  const { ensureCodeServer, startCodeServer, workbenchUrl, CODE_SERVER_VERSION } = await import('../test/vscode/harness/code-server.mjs');
  try {
    await ensureCodeServer();
  } catch (err) { fail(`could not install code-server:\n${err.message}`); }
  say(`[start] starting code-server ${CODE_SERVER_VERSION} on 127.0.0.1:${port}…`);
  let server;
  try {
    server = await startCodeServer({ port, workspace, dieWithParent: npmAncestors(), userSettings: settings });
  } catch (err) { fail(`code-server did not start:\n${err.message}`); }

  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: repoRoot });
  updateLock({ url: server.url, port, codeServerPid: server.pid });
  say(`[start] code-server pid ${server.pid} (its process group is stopped with this script)`);
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

// Lock and port first: a second `npm start` must not touch the running instance's build or workspace.
takeLock();
const desktop = onPath('code') && process.env.PONDER_START_MODE !== 'code-server';
const port = desktop ? undefined : await checkPort();
build();
const workspace = freshDemoWorkspace();
const choice = await modelChoice();
if (desktop) startDesktop(workspace, choice);
else await startBrowser(port, workspace, choice);
