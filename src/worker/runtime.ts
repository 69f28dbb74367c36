/**
 * Which llama.cpp runtime the engine loads: node-llama-cpp's prebuilt binary, or the one "Ponder: Build Runtime for
 * This Machine" made. node-llama-cpp only looks for local builds inside its own package (llama/localBuilds), which an
 * extension update replaces; the build's saved copy (global storage) is put back there before getLlama() runs.
 */
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { RuntimeSpec } from '../core/runtime/build-plan';
import { errorMessage } from '../core/result';

/** node-llama-cpp's package folder, as this process resolves it (the copy the engine loads). */
export function nodeLlamaCppDir(): string {
  const entry = createRequire(import.meta.url).resolve('node-llama-cpp');
  return path.resolve(path.dirname(entry), '..');
}

/** node-llama-cpp writes this into a build folder last; with Release/llama-addon.node it is a build it will load. */
export const BUILD_DONE = 'buildDone.status';

export function isCompleteBuild(dir: string): boolean {
  return existsSync(path.join(dir, BUILD_DONE)) && existsSync(path.join(dir, 'Release', 'llama-addon.node')) && existsSync(path.join(dir, 'Release', '_nlcBuildMetadata.json'));
}

export type RestoreOutcome = 'present' | 'restored' | { readonly problem: string };

/** Makes sure node-llama-cpp finds the saved build; says what it did or why it could not. */
export function restoreRuntimeBuild(spec: RuntimeSpec, localBuildsDir = path.join(nodeLlamaCppDir(), 'llama', 'localBuilds')): RestoreOutcome {
  const target = path.join(localBuildsDir, spec.folder);
  if (isCompleteBuild(target)) return 'present';
  const saved = path.join(spec.savedDir, spec.folder);
  if (!isCompleteBuild(saved)) return { problem: `the saved build ${saved} is missing or incomplete` };
  const staging = `${target}.restore-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    cpSync(saved, staging, { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return 'restored';
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    return { problem: `could not copy the saved build into ${localBuildsDir}: ${errorMessage(e)}` };
  }
}
