/**
 * A real llama.cpp `llama-server` for the remote-engine tests: built once from node-llama-cpp's bundled source by
 * scripts/llama-cpp/build.mjs (cached in .cache/llama.cpp), started on 127.0.0.1 with a generated model.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths';

interface BuildModule {
  ensureLlamaCppBuild(o?: { quiet?: boolean; log?: (m: string) => void }): string;
  binaryPath(name: string): string;
}

/** Path of the llama-server binary; builds it first if needed (minutes, once: then cached). */
export async function llamaServerBinary(log: (m: string) => void = (m) => console.log(`      ${m}`)): Promise<string> {
  const m = (await import(pathToFileURL(path.join(repoRoot(), 'scripts/llama-cpp/build.mjs')).href)) as BuildModule;
  m.ensureLlamaCppBuild({ quiet: true, log });
  return m.binaryPath('llama-server');
}

export interface LlamaServer {
  /** OpenAI base URL, e.g. http://127.0.0.1:PORT/v1 */
  readonly baseUrl: string;
  /** Server root, for /slots, /metrics, /health. */
  readonly root: string;
  readonly logs: string[];
  readonly process: ChildProcess;
  getJson(pathname: string): Promise<unknown>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  s.close();
  await once(s, 'close');
  return port;
}

/** Starts llama-server on a free port and waits until /health answers 200. `-t 1`: tiny models on a shared 2-core box. */
export async function startLlamaServer(modelPath: string, extraArgs: readonly string[] = []): Promise<LlamaServer> {
  const bin = await llamaServerBinary();
  const port = await freePort();
  const root = `http://127.0.0.1:${port}`;
  const args = ['-m', modelPath, '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-tb', '1', '-c', '2048', '-np', '1', '--metrics', '--slots', '--no-webui', ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  // Whole lines only: a pipe read can end mid-line, and a line cut in two matches no pattern.
  const collector = () => {
    let partial = '';
    return (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      logs.push(...lines.filter(Boolean));
    };
  };
  child.stdout?.on('data', collector());
  child.stderr?.on('data', collector());
  const exited = once(child, 'exit');
  const getJson = async (pathname: string): Promise<unknown> => {
    const res = await fetch(root + pathname);
    if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}):\n${logs.slice(-20).join('\n')}`);
    const ok = await fetch(`${root}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`llama-server did not become healthy:\n${logs.slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl: `${root}/v1`,
    root,
    logs,
    process: child,
    getJson,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
