/** The one-line model/status text shown at the top of the panel. */
import type { EngineStatus } from '../../core/protocol/engine';
import type { Config } from '../config';
import { configuredModelPath, configuredModelProblem, modelLabel } from '../models/resolve';
import { displayServer } from '../../core/remote/endpoints';
import { remoteStatusLine } from '../remote/status-line';

export function statusLine(status: EngineStatus, config: Config): string {
  if (config.engineKind === 'openai-compatible') return remoteStatusLine(status, config);
  const model = configuredModelPath(config);
  if (!model) return configuredModelProblem(config) ?? 'No model: choose one with "Ponder: Select Model"';
  const name = modelLabel(model);
  switch (status.state) {
    case 'loading': return `Loading ${name}…`;
    case 'ready': return `${status.engine?.name ?? name} · ${status.engine?.contextSize ?? '?'} tokens context${status.engine?.draft ? ` · draft: ${status.engine.draft.name}` : status.engine?.draftSkipped ? ` · draft ${status.engine.draftSkipped}` : ''}${status.engine?.runtime === 'built for this machine' ? ' · llama.cpp built for this machine' : ''}`;
    case 'idle': return `${name} (loads on first request)`;
  }
}

/** The label of the model that answers, for the empty chat; undefined when none is set up yet. */
export function modelInUse(config: Config): string | undefined {
  if (config.engineKind === 'openai-compatible') {
    const spec = config.remoteSpec();
    return spec?.kind === 'openai-compatible' ? `${spec.model || 'the server’s model'} @ ${displayServer(spec.baseUrl)}` : undefined;
  }
  const model = configuredModelPath(config);
  return model ? modelLabel(model) : undefined;
}
