/** An EngineClient on the built worker, as the host makes it, with logs and status changes collected for asserts. */
import * as path from 'node:path';
import type { EngineStatus } from '../../src/core/protocol/engine';
import { EngineClient } from '../../src/extension/engine-client';
import { repoRoot } from './paths';

export function newClient(logs: string[] = [], statuses: EngineStatus[] = []): EngineClient {
  return new EngineClient({
    workerPath: path.join(repoRoot(), 'dist', 'worker.mjs'),
    log: (level, m) => logs.push(`${level}: ${m}`),
    onStatus: (s) => statuses.push(s),
    restartDelayMs: () => 50,
  });
}
