/**
 * `npm start` as a user runs it: one instance at a time (a second start leaves the first's workspace alone and says
 * so), and killing it — even with SIGKILL, even the `npm` above it — frees the port and leaves no code-server process.
 * Real code-server (installed offline like the real-VS-Code tests); no browser needed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths';

interface Harness { ensureCodeServer(): Promise<string>; freePort(): Promise<number> }
const harness = (): Promise<Harness> => import(pathToFileURL(path.join(repoRoot(), 'test/vscode/harness/code-server.mjs')).href) as Promise<Harness>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

const portTaken = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

const groupAlive = (pgid: number) => {
  try { process.kill(-pgid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

interface Started { readonly child: ChildProcess; readonly out: () => string; readonly exit: Promise<number | null> }

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(cmd, args, { cwd: repoRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return { child, out: () => out, exit: new Promise((r) => child.on('exit', (code) => r(code))) };
}

describe('npm start (scripts/start.mjs)', function () {
  this.timeout(90_000);
  let stateDir: string;
  let port: number;
  const running: ChildProcess[] = [];
  const pgids: number[] = [];
  let env: NodeJS.ProcessEnv;

  before(async function () {
    this.timeout(300_000); // a first run installs code-server (~1 min)
    const h = await harness();
    await h.ensureCodeServer();
    port = await h.freePort();
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'ponder-start-'));
    // An existing model file: the demo model is not needed to test the process lifecycle.
    writeFileSync(path.join(stateDir, 'any.gguf'), 'GGUF');
    env = { PONDER_START_MODE: 'code-server', PONDER_PORT: String(port), PONDER_START_DIR: stateDir, PONDER_SKIP_BUILD: '1', PONDER_MODEL: path.join(stateDir, 'any.gguf') };
  });

  afterEach(() => {
    for (const c of running.splice(0)) try { c.kill('SIGKILL'); } catch { /* gone */ }
    for (const g of pgids.splice(0)) try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ }
  });
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  /** Starts an instance and waits until code-server serves; returns it with code-server's pid (= its group). */
  async function startInstance(cmd = process.execPath, args = ['scripts/start.mjs']): Promise<Started & { pgid: number }> {
    const s = start(cmd, args, env);
    running.push(s.child);
    const pgid = Number(await until('the code-server pid line', () => /code-server pid (\d+)/.exec(s.out())?.[1], 60_000));
    pgids.push(pgid);
    await until('the URL to open', () => s.out().includes('Open this URL'));
    assert.ok(await portTaken(port));
    return { ...s, pgid };
  }

  async function assertAllGone(pgid: number): Promise<void> {
    await until(`port ${port} to be free`, async () => !(await portTaken(port)), 20_000);
    await until(`code-server's process group ${pgid} to be gone`, () => !groupAlive(pgid), 20_000);
  }

  it('a second start leaves the running one untouched and says so; SIGKILL of start.mjs frees the port and kills the group', async () => {
    const first = await startInstance();
    const marker = path.join(stateDir, 'demo-workspace', 'my-edit.txt');
    writeFileSync(marker, 'work in progress');

    const second = start(process.execPath, ['scripts/start.mjs'], env);
    running.push(second.child);
    assert.equal(await second.exit, 1);
    assert.match(second.out(), /already running from another `npm start` \(pid \d+, http:\/\/127\.0\.0\.1:\d+\/\)/);
    assert.match(second.out(), /demo workspace was left untouched/);
    assert.equal(readFileSync(marker, 'utf8'), 'work in progress', 'the running instance keeps its workspace');
    assert.ok(await portTaken(port), 'the first instance still serves');

    first.child.kill('SIGKILL');
    await assertAllGone(first.pgid);
    // The lock of a dead instance is stale: the next start proceeds (and is stopped the ordinary way).
    const third = await startInstance();
    third.child.kill('SIGINT');
    assert.equal(await third.exit, 0);
    await assertAllGone(third.pgid);
    assert.ok(!existsSync(path.join(stateDir, 'npm-start.lock')), 'a clean stop releases the lock');
  });

  it('SIGKILL of the `npm` running `npm start` stops code-server too', async () => {
    const npm = await startInstance('npm', ['start', '--silent']);
    const startPid = (JSON.parse(readFileSync(path.join(stateDir, 'npm-start.lock'), 'utf8')) as { pid: number }).pid;
    npm.child.kill('SIGKILL');
    await assertAllGone(npm.pgid);
    await until('start.mjs to exit', () => { try { process.kill(startPid, 0); return false; } catch { return true; } }, 20_000);
  });
});
