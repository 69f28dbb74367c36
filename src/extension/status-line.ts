/** The one-line model/status text shown at the top of the panel. */
import * as path from 'node:path';
import type { EngineStatus } from '../core/protocol/engine';
import type { Config } from './config';

export function statusLine(status: EngineStatus, config: Config): string {
  const model = config.modelPath;
  if (!model) return 'No model: set ponder.model to a .gguf file';
  const name = path.basename(model);
  switch (status.state) {
    case 'loading': return `Loading ${name}…`;
    case 'ready': return `${status.engine?.name ?? name} · ${status.engine?.contextSize ?? '?'} tokens context`;
    case 'idle': return `${name} (loads on first request)`;
  }
}
