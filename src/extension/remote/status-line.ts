/** The panel's status line when `ponder.engine` is "openai-compatible". */
import type { EngineStatus } from '../../core/protocol/engine';
import { displayServer } from '../../core/remote/endpoints';
import type { Config } from '../config';

export function remoteStatusLine(status: EngineStatus, config: Config): string {
  const problem = config.remoteProblem();
  if (problem) return 'Remote engine: set ponder.remote.baseUrl';
  const server = displayServer(config.remoteBaseUrl);
  switch (status.state) {
    case 'loading': return `Connecting to ${server}…`;
    case 'idle': return `${server} (connects on first request)`;
    case 'ready': {
      const e = status.engine;
      const estimated = e?.tokenCounts === 'estimated' ? ' · token counts estimated' : '';
      return `${e?.name ?? 'remote model'} @ ${server} · ${e?.contextSize ?? '?'} tokens context${estimated}`;
    }
  }
}
