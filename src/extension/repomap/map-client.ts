/**
 * Talks to the repository-map thread (a worker_threads thread of this process; see src/worker/repomap/main.ts).
 * Started on first use, never at activation. No `vscode` import, so the benchmark drives the same client.
 */
import { Worker } from 'node:worker_threads';
import { parseMapMessage, type BuildRequest, type HostToMap, type MapStats, type MapToHost, type RenderedMapReply } from '../../core/protocol/repomap';
import type { Focus } from '../../core/repomap/types';

interface Pending {
  readonly resolve: (m: MapToHost) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

export class MapCancelled extends Error {}

export class MapClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `script`: absolute path of dist/repomap-worker.js. */
  constructor(private readonly script: string, private readonly onLog: (line: string) => void = () => undefined) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script);
    w.on('message', (raw: unknown) => {
      const parsed = parseMapMessage(raw);
      if (!parsed.ok) return this.onLog(`repository map: bad message from its thread (${parsed.error})`);
      const m = parsed.value;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'map/progress') return p.onProgress?.(m.done, m.total);
      this.pending.delete(m.id);
      if (m.type === 'map/error') p.reject(m.cancelled ? new MapCancelled(m.message) : new Error(m.message));
      else p.resolve(m);
    });
    const failAll = (why: string) => {
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
    };
    w.on('error', (e) => failAll(`The repository map thread failed: ${e.message}`));
    w.on('exit', (code) => failAll(`The repository map thread exited (code ${code}).`));
    this.worker = w;
    return w;
  }

  private request(make: (id: number) => HostToMap, onProgress?: Pending['onProgress'], signal?: AbortSignal): Promise<MapToHost> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise<MapToHost>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      signal?.addEventListener('abort', () => w.postMessage({ type: 'map/cancel', id }), { once: true });
      w.postMessage(make(id));
    });
  }

  async build(request: BuildRequest, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<MapStats> {
    const m = await this.request((id) => ({ type: 'map/build', id, request }), onProgress, signal);
    if (m.type !== 'map/built') throw new Error(`unexpected reply ${m.type}`);
    return m.stats;
  }

  async update(changed: readonly string[], created: readonly string[], deleted: readonly string[]): Promise<MapStats> {
    const m = await this.request((id) => ({ type: 'map/update', id, changed, created, deleted }));
    if (m.type !== 'map/updated') throw new Error(`unexpected reply ${m.type}`);
    return m.stats;
  }

  async render(focus: Focus, budget: number, exclude: readonly string[] = []): Promise<RenderedMapReply> {
    const m = await this.request((id) => ({ type: 'map/render', id, focus, budget, exclude }));
    if (m.type !== 'map/rendered') throw new Error(`unexpected reply ${m.type}`);
    return m.map;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
