/**
 * Everything Ponder loads on first use rather than at activation: the edit features (tasks, proposals, preview, apply),
 * verify / repair / undo, the model picker and downloads, the runtime build and the API-key commands. The build puts
 * this module and what only it needs in dist/extension-lazy.js (esbuild.mjs buildHost); on-first-use.ts loads it.
 */
import type { ProposalEventData, PonderContext } from './context';
import { proposalEventData, registerEditFeatures, type EditFeatures } from './edits';
import type { ModelStatusBar } from './models/status-bar';
import { registerModelFeatures } from './models';
import { registerRemoteCommands } from './remote/commands';
import { registerRuntimeCommand } from './runtime/build-command';
import type { RuntimeStore } from './runtime/runtime-store';
import { registerVerifyFeatures, type Verifier } from './verify';
import type { DiagnosticsWatch } from './verify/diagnostics';

/** What activation built that these features use. */
export interface ActivationParts {
  readonly statusBar: ModelStatusBar;
  readonly runtimeStore: RuntimeStore;
  readonly diagnostics: DiagnosticsWatch;
  readonly proposalEvents: (e: ProposalEventData) => void;
}

export interface Features {
  readonly edits: EditFeatures;
  readonly verifier: Verifier;
}

/** Registers every command, provider and listener of these features (their activation-time stubs are gone by now). */
export function registerFeatures(ctx: PonderContext, parts: ActivationParts): Features {
  const edits = registerEditFeatures(ctx);
  edits.store.onDidChange((e) => parts.proposalEvents(proposalEventData(e)), undefined, ctx.vscodeContext.subscriptions);
  const verifier = registerVerifyFeatures(ctx, edits, parts.diagnostics);
  parts.statusBar.attachDownloads(registerModelFeatures(ctx));
  registerRuntimeCommand(ctx, parts.runtimeStore);
  registerRemoteCommands(ctx);
  return { edits, verifier };
}
