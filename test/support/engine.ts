/** An EngineClient on the built worker, as the host makes it, with logs and status changes collected for asserts. */
import * as path from 'node:path';
import type { EngineStatus } from '../../src/core/protocol/engine';
import { EngineClient } from '../../src/extension/engine/engine-client';
import { repoRoot } from './paths';

export function newClient(logs: string[] = [], statuses: EngineStatus[] = []): EngineClient {
  return new EngineClient({
    workerPath: path.join(repoRoot(), 'dist', 'worker.mjs'),
    log: (level, m) => logs.push(`${level}: ${m}`),
    onStatus: (s) => statuses.push(s),
    restartDelayMs: () => 50,
  });
}

/** Clients made by one suite, all disposed after each test (so no worker outlives its test). */
export function useClients(): (logs?: string[], statuses?: EngineStatus[]) => EngineClient {
  const clients: EngineClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  return (logs, statuses) => {
    const c = newClient(logs, statuses);
    clients.push(c);
    return c;
  };
}
