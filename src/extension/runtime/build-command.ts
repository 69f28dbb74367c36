/**
 * "Ponder: Build Runtime for This Machine": builds node-llama-cpp's llama.cpp addon from the source it bundles, with
 * progress and Cancel, keeps it in global storage (it survives extension updates) and restarts the worker on it once
 * no answer is running. The same command removes the build again. Nothing is downloaded.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { describeBuild, type BuildPhase } from '../../core/runtime/build-plan';
import { log } from '../log';
import { RuntimeBuildError, startRuntimeBuild } from './build-client';
import type { RuntimeStore } from './runtime-store';

const PHASE_TEXT: Record<BuildPhase, string> = {
  source: 'unpacking the bundled llama.cpp source',
  configure: 'configuring (CMake)',
  compile: 'compiling',
  test: 'testing the build',
};

export function registerRuntimeCommand(ctx: PonderContext, store: RuntimeStore): void {
  const context = ctx.vscodeContext;
  let building = false;

  context.subscriptions.push(vscode.commands.registerCommand('ponder.buildRuntime', async (): Promise<'built' | 'removed' | 'cancelled' | 'failed' | 'declined'> => {
    if (building) {
      void vscode.window.showInformationMessage('Ponder: the runtime is already being built (see its progress notification).');
      return 'declined';
    }
    const record = store.record();
    const current = record && record.nodeLlamaCpp === store.nodeLlamaCppVersion() ? record : undefined;
    if (current) {
      const when = new Date(current.builtAt).toLocaleString();
      const pick = await vscode.window.showQuickPick([
        { label: '$(tools) Rebuild', detail: 'Compile llama.cpp again for this machine (5–15 minutes, all CPU cores)', action: 'build' as const },
        { label: '$(trash) Remove the build', detail: 'Go back to the prebuilt runtime that ships with Ponder', action: 'remove' as const },
      ], { title: `Ponder runs llama.cpp built for this machine (${describeBuild(current.cmakeOptions)}, ${when})` });
      if (!pick) return 'declined';
      if (pick.action === 'remove') {
        store.remove();
        log.info('Removed the runtime built for this machine: the worker restarts on the prebuilt runtime.');
        void ctx.engine.restartWhenIdle();
        void vscode.window.showInformationMessage('Ponder: removed the runtime build; the model reloads on the prebuilt runtime at its next request.');
        return 'removed';
      }
    } else {
      const go = await vscode.window.showInformationMessage(
        'Build llama.cpp for this machine?',
        {
          modal: true,
          detail: 'Ponder compiles the llama.cpp source that ships with it (nothing is downloaded): about 5–15 minutes using all CPU cores. It needs cmake, git and a C++ compiler. '
            + 'It helps on some CPUs and hurts on others: on an AMX Xeon the prebuilt runtime decoded at 0.93× of such a build, on an AVX-512 Xeon without AMX the build was slower (0.75× of the prebuilt). Compare tok/s on the stats line before and after; you can remove the build from this command.',
        },
        'Build',
      );
      if (go !== 'Build') return 'declined';
    }

    building = true;
    try {
      const record = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Ponder: building the runtime', cancellable: true },
        async (progress, token) => {
          let shown = 0;
          const handle = startRuntimeBuild(
            { childPath: path.join(context.extensionPath, 'dist', 'runtime-build.mjs'), env: process.env, log: (level, m) => log.at(level, m) },
            { savedDir: store.dir },
            (phase, percent) => {
              const increment = percent !== undefined ? Math.max(0, percent - shown) : 0;
              if (percent !== undefined) shown = Math.max(shown, percent);
              progress.report({ message: `${PHASE_TEXT[phase]}${percent !== undefined ? ` ${percent}%` : ''}…`, increment });
            },
          );
          token.onCancellationRequested(() => handle.cancel());
          return handle.result;
        },
      );
      store.save(record);
      log.info(`Built the runtime for this machine in ${record.seconds} s (${record.folder}; ${describeBuild(record.cmakeOptions)}).`);
      void ctx.engine.restartWhenIdle();
      void vscode.window.showInformationMessage(`Ponder: built llama.cpp for this machine in ${Math.max(1, Math.round(record.seconds / 60))} min (${describeBuild(record.cmakeOptions)}). The model reloads with it at its next request.`);
      return 'built';
    } catch (e) {
      if (e instanceof RuntimeBuildError && e.code === 'CANCELLED') {
        void vscode.window.showInformationMessage(`Ponder: ${e.message}`);
        return 'cancelled';
      }
      const message = e instanceof Error ? e.message : String(e);
      log.error(`Runtime build failed: ${message}`);
      const first = message.split('\n')[0];
      void vscode.window.showErrorMessage(`Ponder: ${first}`, 'Show Logs').then((b) => b && log.show());
      return 'failed';
    } finally {
      building = false;
    }
  }));
}
