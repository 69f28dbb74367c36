/** RAM/VRAM for recommendations, measured by node-llama-cpp in a short-lived child process and cached briefly. */
import * as os from 'node:os';
import * as path from 'node:path';
import type { SystemMemory } from '../../core/models/recommend';
import { log } from '../log';
import { querySystemMemory } from './download-client';
import { errorMessage } from '../../core/result';

const TTL_MS = 5 * 60_000;
let cached: { readonly at: number; readonly memory: SystemMemory } | undefined;
let inflight: Promise<SystemMemory> | undefined;

export function cachedMemory(): SystemMemory | undefined {
  return cached && Date.now() - cached.at < TTL_MS ? cached.memory : undefined;
}

/** node-llama-cpp's figures; if the probe fails, the OS's (no GPU information then). */
export function systemMemory(extensionPath: string): Promise<SystemMemory> {
  const hit = cachedMemory();
  if (hit) return Promise.resolve(hit);
  inflight ??= querySystemMemory({ childPath: path.join(extensionPath, 'dist', 'download.mjs'), env: process.env, log: (l, m) => log.at(l, m) })
    .catch((e: unknown): SystemMemory => {
      log.warn(`Memory probe failed (${errorMessage(e)}); using the OS figures without GPU information.`);
      return { totalRamBytes: os.totalmem(), freeRamBytes: os.freemem(), gpu: false, vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false };
    })
    .then((memory) => {
      cached = { at: Date.now(), memory };
      return memory;
    })
    .finally(() => (inflight = undefined));
  return inflight;
}
