// Real VS Code (code-server from npm) + Debian Chromium harness: works offline, unlike @vscode/test-electron.
// Measured details: /work/shared/notes/real-vscode-harness.md
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // newest code-server whose install accepts Node 20
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const APT_HINT = 'sudo apt-get install -y chromium fonts-liberation ripgrep libkrb5-dev build-essential python3 cmake git';

const RG_CACHE = 'vscode-ripgrep-cache-1.15.11'; // what code-server's nested @vscode/ripgrep looks for
const RG_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const log = (msg) => console.log(`[harness] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mkTemp = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const rmrf = (p) => { try { fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 }); } catch { /* best effort */ } };

/** Directory holding the local code-server install (gitignored .cache). */
export function codeServerDir() {
  return process.env.PONDER_CODE_SERVER_DIR || path.join(repoRoot, '.cache', 'code-server');
}

function binIn(dir) { return path.join(dir, 'node_modules', '.bin', 'code-server'); }
function markerIn(dir) { return path.join(dir, `.installed-${CODE_SERVER_VERSION}`); }

function run(cmd, args, opts = {}) {
  // Streams output with a prefix so long installs show progress.
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const tail = [];
    const onData = (buf) => {
      for (const line of buf.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line); if (tail.length > 60) tail.shift();
        if (opts.echo !== false) console.log(`  ${opts.prefix ?? ''}${line}`);
      }
    };
    child.stdout.on('data', onData); child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, sig) => code === 0 ? resolve(tail)
      : reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? sig}):\n${tail.join('\n')}`)));
  });
}

function seedRipgrepCache(tmpDir) {
  // @vscode/ripgrep would download rg from GitHub; hand it Debian's binary instead.
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  if (!rg) throw new Error(`ripgrep not found (needed to install code-server offline). Run: ${APT_HINT}`);
  const stage = path.join(tmpDir, 'rg-stage');
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const cache = path.join(tmpDir, RG_CACHE);
  fs.mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['-czf', path.join(cache, RG_ASSET), '-C', stage, 'rg']);
}

/** Installs code-server@4.100.3 into <repo>/.cache/code-server once; returns the absolute binary path. */
export async function ensureCodeServer() {
  const dir = codeServerDir();
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  // Leftover staging dirs from interrupted installs whose process is gone are removed.
  for (const name of fs.readdirSync(parent)) {
    const m = /^code-server\.staging-(\d+)$/.exec(name);
    if (m && !isAlive(Number(m[1]))) rmrf(path.join(parent, name));
  }
  if (fs.existsSync(markerIn(dir)) && fs.existsSync(binIn(dir))) return binIn(dir);
  const missing = ['make', 'g++', 'python3'].filter((c) => !which(c));
  if (missing.length) throw new Error(`code-server needs build tools (${missing.join(', ')} missing). Run: ${APT_HINT}`);
  const staging = path.join(parent, `code-server.staging-${process.pid}`);
  const tmp = mkTemp('ponder-cs-install-');
  const started = Date.now();
  try {
    log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (one time, ~1 min, ~100 MB download)…`);
    fs.mkdirSync(staging, { recursive: true });
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'ponder-code-server-cache', private: true }, null, 2));
    seedRipgrepCache(tmp);
    const env = {
      ...cleanEnv(process.env),
      TMPDIR: tmp, // where @vscode/ripgrep finds the seeded cache
      npm_config_nodedir: fs.existsSync('/usr/include/node/node.h') ? '/usr' : process.env.npm_config_nodedir, // node-gyp would fetch headers
      npm_config_unsafe_perm: 'true', // postinstall refuses to run as root otherwise
      npm_config_yes: 'true', // node-pty runs `npx node-gyp`, which prompts in a non-TTY
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    // Local install only: `npm install -g` breaks on npm 11.
    await run('npm', ['install', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: staging, env, prefix: 'npm: ' });
    if (!fs.existsSync(binIn(staging))) throw new Error(`npm finished but ${binIn(staging)} is missing`);
    fs.writeFileSync(markerIn(staging), new Date().toISOString() + '\n');
    if (fs.existsSync(markerIn(dir)) && fs.existsSync(binIn(dir))) { rmrf(staging); return binIn(dir); } // a concurrent run won
    rmrf(dir); // a half-finished or old-version install
    fs.renameSync(staging, dir); // atomic: the marker only appears in `dir` when complete
    log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return binIn(dir);
  } catch (err) {
    rmrf(staging);
    throw err;
  } finally {
    rmrf(tmp);
  }
}

function which(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Debian Chromium for Playwright; throws with the apt command when missing. */
export function ensureChromium() {
  const candidates = [process.env.PONDER_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  throw new Error(`Chromium not found (looked at ${candidates.join(', ')}). Install it with:\n  ${APT_HINT}\n(or set PONDER_CHROMIUM to a Chromium binary)`);
}

function cleanEnv(env) {
  // A parent VS Code terminal leaks VSCODE_* vars (e.g. VSCODE_IPC_HOOK_CLI) that redirect code-server's CLI.
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_OPTIONS') continue;
    out[k] = v;
  }
  return out;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const liveServers = new Set();
process.on('exit', () => { for (const s of liveServers) s.killSync(); }); // never leave a server behind

/**
 * Starts code-server on 127.0.0.1 with throwaway HOME/XDG/user-data/extensions dirs.
 * opts: { workspace?, userSettings?, env?, trust?: 'trusted'|'restricted', extensionsToInstall?: string[],
 *         port?, verbose?, dieWithParent?: boolean | number[] } → { url, port, origin, userDataDir, extensionsDir, logs, stop() }
 * dieWithParent: a detached watchdog kills the server's process group (and removes its temp dirs) when this process
 * dies, even by SIGKILL; an array also names more pids whose death stops it (e.g. the `npm` of `npm start`).
 */
export async function startCodeServer(opts = {}) {
  const { userSettings = {}, env = {}, trust = 'trusted', extensionsToInstall = [], verbose = !!process.env.PONDER_HARNESS_VERBOSE } = opts;
  if (trust !== 'trusted' && trust !== 'restricted') throw new Error(`trust must be 'trusted' or 'restricted', got ${trust}`);
  const bin = await ensureCodeServer();
  const port = opts.port ?? await freePort();
  const root = mkTemp('ponder-cs-');
  const dirs = {
    home: path.join(root, 'home'),
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    config: path.join(root, 'config.yaml'),
  };
  for (const d of [dirs.home, dirs.userDataDir, dirs.extensionsDir, path.join(dirs.userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(dirs.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.openRepositoryInParentFolders': 'never', // test workspaces inside the repo would otherwise get a notification
    ...(trust === 'restricted' ? {
      // Restricted Mode without the modal "Do you trust the authors?" prompt: the folder simply opens untrusted.
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.emptyWindow': false,
      'security.workspace.trust.untrustedFiles': 'open',
      'security.workspace.trust.banner': 'never',
    } : {}),
    ...userSettings,
  };
  fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const xdg = (n) => path.join(dirs.home, n);
  const childEnv = {
    ...cleanEnv(process.env),
    HOME: dirs.home, // keep the real home untouched
    XDG_CONFIG_HOME: xdg('.config'), XDG_DATA_HOME: xdg('.local/share'),
    XDG_CACHE_HOME: xdg('.cache'), XDG_STATE_HOME: xdg('.local/state'), XDG_RUNTIME_DIR: xdg('.run'),
    ...env,
  };
  fs.mkdirSync(xdg('.run'), { recursive: true, mode: 0o700 });
  const common = ['--config', dirs.config, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
  const cleanupDirs = () => rmrf(root);
  try {
    for (const vsix of extensionsToInstall) {
      log(`installing extension ${vsix}`);
      await run(bin, [...common, '--install-extension', path.resolve(vsix), '--force'], { env: childEnv, echo: verbose, prefix: 'code-server: ' });
    }
  } catch (err) { cleanupDirs(); throw err; }

  const args = [
    ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(trust === 'restricted' ? [] : ['--disable-workspace-trust']),
  ];
  if (opts.workspace) args.push(path.resolve(opts.workspace));
  const logs = [];
  const child = spawn(bin, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (buf) => {
    for (const line of buf.toString().split('\n')) {
      if (!line.trim()) continue;
      logs.push(line); if (logs.length > 500) logs.shift();
      if (verbose) console.log(`[code-server] ${line}`);
    }
  };
  child.stdout.on('data', onData); child.stderr.on('data', onData);
  let exited = null;
  const exitP = new Promise((r) => child.on('exit', (code, sig) => { exited = code ?? sig; r(); }));
  let watchdog;
  if (opts.dieWithParent) {
    const extra = Array.isArray(opts.dieWithParent) ? opts.dieWithParent.map(String) : [];
    watchdog = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'watchdog.mjs'), String(child.pid), root, ...extra], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    watchdog.unref();
    watchdog.stdin.on('error', () => {}); // the watchdog gone first: nothing to tell it
    watchdog.stdin.unref?.(); // the open pipe must not keep this process alive
  }
  const disarm = () => { try { watchdog?.stdin.end('disarm\n'); } catch { /* gone */ } };

  let stopped = false;
  const server = {
    url: `http://127.0.0.1:${port}/`, origin: `http://127.0.0.1:${port}`, port, pid: child.pid,
    exited: exitP.then(() => exited), // resolves with the exit code/signal if the server dies
    userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, home: dirs.home, logs, bin,
    killSync() { if (exited === null) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } cleanupDirs(); },
    async stop() {
      if (stopped) return; stopped = true; liveServers.delete(server);
      disarm();
      if (exited === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } // the whole group: server + ext hosts + ptys
        await Promise.race([exitP, sleep(5000)]);
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } // stragglers in the group
      }
      cleanupDirs();
    },
  };
  liveServers.add(server);
  try {
    await waitHealthy(server, () => exited, 60_000);
  } catch (err) { await server.stop(); throw err; }
  return server;
}

async function waitHealthy(server, exitedFn, timeoutMs) {
  // /healthz answers once the HTTP server is up.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitedFn() !== null) throw new Error(`code-server exited (${exitedFn()}) before becoming healthy:\n${server.logs.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  throw new Error(`code-server not healthy after ${timeoutMs} ms:\n${server.logs.slice(-30).join('\n')}`);
}

/** Workbench URL; `payload` carries extensionDevelopmentPath/extensionTestsPath (the CLI rejects them). */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`; // authority must match the page's host:port
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.origin}/?${q.join('&')}`;
}

/**
 * Opens the workbench in headless Chromium. With extensionTestsPath the extension host runs that suite and
 * `exitCode` resolves with its result; without it, the page is yours to drive.
 * → { context, browser, page, exitCode: Promise<number>, logs: string[], close() }
 */
export async function openWorkbench(server, { extensionDevelopmentPath, extensionTestsPath, folder, headless = true, echo = true } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkTemp('ponder-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: ensureChromium(),
    headless,
    // Chromium's crashpad writes under $HOME/.config: point HOME/XDG at the throwaway profile.
    env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: path.join(profile, '.config'), XDG_CACHE_HOME: path.join(profile, '.cache') },
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const logs = [];
  let settle;
  const exitCode = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  exitCode.catch(() => {}); // callers that never await it must not crash the process
  let done = false;
  // Must be registered before goto: the workbench looks them up when the test run ends / logs.
  await page.exposeFunction('codeAutomationExit', (code) => { done = true; settle.resolve(Number(code)); });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    let text = format(...(Array.isArray(args) ? args : [args])); // mocha reporters log printf-style ('%s (%dms)')
    if (/ENOTFOUND (open-vsx\.org|marketplace)/.test(text)) text = text.split('\n')[0]; // offline noise: drop the stack
    for (const line of text.split('\n')) {
      logs.push(line);
      if (echo) console.log(`[ext-host] ${line}`);
    }
  });
  page.on('close', () => { if (!done) settle.reject(new Error('workbench page closed before the test run finished')); });
  page.on('crash', () => { if (!done) settle.reject(new Error('workbench page crashed')); });
  await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }), { waitUntil: 'domcontentloaded' });
  let closed = false;
  return {
    context, browser: context, page, exitCode, logs, profile,
    async close() {
      if (closed) return; closed = true; done = true;
      await context.close().catch(() => {});
      rmrf(profile);
    },
  };
}
