// The product's host pipeline without VS Code: ChatController → EngineClient → forked dist/worker.mjs. Messages for
// the webview are caught at ChatController's `post` dependency (what PanelView.post would hand to postMessage).
import { createRequire } from 'node:module';
import path from 'node:path';
import { benchOut, repoRoot } from './util.mjs';

const require = createRequire(import.meta.url);
export const workerPath = path.join(repoRoot, 'dist', 'worker.mjs');

/** bench/out/pipeline.cjs: src/extension/{chat/chat-controller,engine/engine-client}.ts bundled by bench/lib/build.mjs. */
function pipeline() {
  return require(path.join(benchOut, 'pipeline.cjs'));
}

/**
 * An environment for a measured process: plain (no glibc tunable, Node's default libuv pool), or some of what the
 * product's EngineClient gives its worker (src/core/runtime/worker-env.ts): `{ hugePages, onePoolThread }`, or
 * `true` for both, exactly as the worker gets them.
 */
export function measuredEnv(what) {
  const { GLIBC_TUNABLES: _g, UV_THREADPOOL_SIZE: _u, ...env } = process.env;
  if (!what) return env;
  const all = pipeline().engineWorkerEnv(env, process.platform);
  if (what === true) return all;
  return { ...env, ...(what.hugePages && all.GLIBC_TUNABLES ? { GLIBC_TUNABLES: all.GLIBC_TUNABLES } : {}), ...(what.onePoolThread ? { UV_THREADPOOL_SIZE: all.UV_THREADPOOL_SIZE } : {}) };
}

export class HostPipeline {
  constructor() {
    const { ChatController, EngineClient } = pipeline();
    this.EngineClient = EngineClient;
    this.errors = [];
    this.budget = undefined;
    /** `ponder.speculative` as the controller sees it ('auto' | 'off'). */
    this.speculative = 'auto';
    /** `ponder.maxGeneratedTokens` (undefined = none). */
    this.maxGenerated = undefined;
    this.listener = undefined;
    this.client = this.newClient();
    this.controller = new ChatController({
      engine: async () => this.client,
      post: (m) => this.listener?.(m, performance.now()),
      maxThinkingTokens: () => this.budget,
      speculative: () => this.speculative,
      maxGeneratedTokens: () => this.maxGenerated,
      onError: (message) => this.errors.push(message),
    });
  }

  newClient() {
    return new this.EngineClient({
      workerPath,
      env: process.env,
      log: (level, message) => level === 'error' && this.errors.push(message),
    });
  }

  /** Starts the worker and loads the model (the host does this on the first request). */
  load({ modelPath, threads, contextSize, draftModelPath, runtime }) {
    return this.client.load({ kind: 'local', modelPath, threads, contextSize, ...(draftModelPath ? { draftModelPath } : {}), ...(runtime ? { runtime } : {}) }, 0);
  }

  /**
   * Sends a prompt in the current chat; `onPost(message, t)` sees every message bound for the webview.
   * Resolves with the finished turn and the timestamps of the `panel/chunk` posts.
   */
  async send(prompt, { budget, onPost } = {}) {
    this.budget = budget;
    const times = [];
    let ended;
    this.listener = (m, t) => {
      if (m.type === 'panel/chunk') times.push(t);
      if (m.type === 'panel/turnEnded') ended = t;
      onPost?.(m, t);
    };
    const started = performance.now();
    try {
      const turn = await this.controller.send(prompt);
      return { turn, started, times, ended };
    } finally {
      this.listener = undefined;
    }
  }

  newChat() {
    this.controller.newChat();
  }

  stop() {
    this.controller.stop();
  }

  dispose() {
    return this.client.dispose();
  }
}
