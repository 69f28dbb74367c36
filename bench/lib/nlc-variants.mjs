// node-llama-cpp's prebuilt linux-x64 package ships one libggml-cpu-<variant>.so per CPU family and ggml loads the
// best-scoring one its CPU supports. To time one variant, stage a node_modules tree whose binary folder holds only
// that variant (everything else linked to the real tree) and run Node with --preserve-symlinks in it.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { benchOut, repoRoot } from './util.mjs';

const realModules = path.join(repoRoot, 'node_modules');
const pkg = '@node-llama-cpp/linux-x64';
export const binDir = path.join(realModules, pkg, 'bins', 'linux-x64');

/** The CPU variants the prebuilt package ships (e.g. haswell, skylakex, zen4, sapphirerapids). */
export function shippedVariants() {
  if (!existsSync(binDir)) return [];
  return readdirSync(binDir).map((f) => /^libggml-cpu-(.+)\.so$/.exec(f)?.[1]).filter((v) => v !== undefined);
}

/** Stages (once per run) a tree for `variant`; returns the folder to run bench/lib/decode-probe.mjs from. */
export function stageVariant(variant) {
  const root = path.join(benchOut, 'nlc-variants', variant);
  rmSync(root, { recursive: true, force: true });
  const modules = path.join(root, 'node_modules');
  const bins = path.join(modules, pkg, 'bins', 'linux-x64');
  mkdirSync(bins, { recursive: true });
  for (const e of readdirSync(realModules)) {
    if (e !== '@node-llama-cpp') symlinkSync(path.join(realModules, e), path.join(modules, e));
  }
  for (const e of readdirSync(path.join(realModules, '@node-llama-cpp'))) {
    if (e !== 'linux-x64') symlinkSync(path.join(realModules, '@node-llama-cpp', e), path.join(modules, '@node-llama-cpp', e));
  }
  for (const e of readdirSync(path.join(realModules, pkg))) {
    if (e !== 'bins') symlinkSync(path.join(realModules, pkg, e), path.join(modules, pkg, e));
  }
  // Copies, not links: the loader resolves each library's $ORIGIN from the folder it was opened in.
  for (const f of readdirSync(binDir)) {
    const cpu = /^libggml-cpu-(.+)\.so$/.exec(f);
    if (!cpu || cpu[1] === variant) cpSync(path.join(binDir, f), path.join(bins, f));
  }
  mkdirSync(path.join(root, 'bench', 'lib'), { recursive: true });
  cpSync(path.join(repoRoot, 'bench', 'lib', 'decode-probe.mjs'), path.join(root, 'bench', 'lib', 'decode-probe.mjs'));
  return root;
}
