/**
 * Loads src/extension/features.ts (dist/extension-lazy.js) the first time one of its commands runs, or when the host
 * needs it otherwise (the panel's "Apply to file…", the API), so activation compiles and runs only what it must.
 * Until then each of its commands is a stub that loads the features, which register the real command, and re-runs it.
 */
import * as vscode from 'vscode';
import type { PonderContext } from './context';
import type { ActivationParts, Features } from './features';
import { log } from './log';
import { errorMessage } from '../core/result';

/**
 * Every command src/extension/features.ts registers. A command missing here would be "not found" until something else
 * loaded the features: the real-VS-Code suite checks the list against what the features register.
 */
export const LAZY_COMMANDS = [
  // edits/commands.ts
  'ponder.explain', 'ponder.fix', 'ponder.refactor', 'ponder.editWithInstructions', 'ponder.generateTests', 'ponder.redoEdit',
  'ponder.proposeFromAnswer', 'ponder.applyProposal', 'ponder.previewProposal', 'ponder.discardProposal', 'ponder.acceptHunk', 'ponder.rejectHunk',
  // verify/index.ts
  'ponder.repair', 'ponder.undoChange', 'ponder.stopVerification',
  // models/index.ts
  'ponder.selectModel', 'ponder.manageModels', 'ponder.gettingStarted',
  // runtime/build-command.ts, remote/commands.ts
  'ponder.buildRuntime', 'ponder.setApiKey', 'ponder.clearApiKey',
] as const;

export class FeatureLoader implements vscode.Disposable {
  private readonly stubs: vscode.Disposable[];
  private loading: Promise<Features> | undefined;
  /** The features once loaded. */
  loaded: Features | undefined;

  constructor(private readonly ctx: PonderContext, private readonly parts: ActivationParts) {
    this.stubs = LAZY_COMMANDS.map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await this.load();
      return vscode.commands.executeCommand(id, ...args);
    }));
  }

  /** Loads and registers the features once; every caller gets the same result. */
  load(): Promise<Features> {
    this.loading ??= import('./features.js').then((m) => {
      const t0 = performance.now();
      // Stubs out and real commands in, in one synchronous step: no moment where a command is missing.
      this.dispose();
      this.loaded = m.registerFeatures(this.ctx, this.parts);
      log.info(`Loaded the editor features in ${(performance.now() - t0).toFixed(1)} ms.`);
      return this.loaded;
    }).catch((e: unknown) => {
      const message = `Ponder could not load its editor features: ${errorMessage(e)}`;
      log.error(message);
      throw new Error(message);
    });
    return this.loading;
  }

  dispose(): void {
    for (const s of this.stubs.splice(0)) s.dispose();
  }
}
