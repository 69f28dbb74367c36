/**
 * Entry of the repository-map thread (dist/repomap-worker.js, a worker_threads thread of the extension host):
 * answers map/build, map/update, map/render and map/cancel one at a time, in arrival order (a cancel is handled
 * at once). The tree-sitter runtime and grammars load from dist/tree-sitter/ (shared with the edit engine) on first use.
 */
import { readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { HostToMap, MapToHost } from '../../core/protocol/repomap';
import { CancelledError, RepoIndex } from './repo-index';
import { Tagger } from './tagger';
import { errorMessage } from '../../core/result';

const port = parentPort;
if (!port) throw new Error('repomap-worker must run as a worker thread');

// Linux: lower this thread's priority (nice 10), so on a busy machine the editor's own thread is scheduled first.
// /proc/thread-self names this thread's id; setpriority on a thread id affects only that thread.
try {
  const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
  if (tid > 0) os.setPriority(tid, 10);
} catch {
  /* other systems: normal priority */
}
const post = (m: MapToHost) => port.postMessage(m);

const index = new RepoIndex(new Tagger({ load: (name) => readFile(path.join(__dirname, 'tree-sitter', path.basename(name))) }));
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

async function handle(m: HostToMap): Promise<void> {
  try {
    switch (m.type) {
      case 'map/build': {
        const stats = await index.build(m.request, (done, total) => post({ type: 'map/progress', id: m.id, done, total }), () => cancelled.has(m.id));
        return post({ type: 'map/built', id: m.id, stats });
      }
      case 'map/update':
        return post({ type: 'map/updated', id: m.id, stats: await index.update(m.changed, m.created, m.deleted) });
      case 'map/render':
        return post({ type: 'map/rendered', id: m.id, map: index.render(m.focus, m.budget, m.exclude) });
      case 'map/cancel':
        return;
    }
  } catch (e) {
    post({ type: 'map/error', id: m.id, message: errorMessage(e), cancelled: e instanceof CancelledError });
  } finally {
    cancelled.delete(m.id);
  }
}

port.on('message', (m: HostToMap) => {
  if (m.type === 'map/cancel') {
    cancelled.add(m.id);
    return;
  }
  queue = queue.then(() => handle(m));
});
