// Builds every target of the extension. One options object per target; `node esbuild.mjs --watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @typedef {import('esbuild').BuildOptions} BuildOptions */
const common = /** @type {const} @satisfies {BuildOptions} */ ({
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  target: 'node20',
  // jsonc-parser's default (UMD) entry loads its parts with a runtime require() esbuild cannot follow: use its ESM build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
});

/**
 * `vscode` required once for the whole bundle. Left to itself, esbuild turns every file's `import * as vscode` into its
 * own `__toESM(require('vscode'))`, which copies the API's ~250 properties again per file (~40 files: measurable in
 * activate()). Resolving it to one ESM module that re-exports the external gives a single shared namespace.
 * @type {import('esbuild').Plugin}
 */
export const vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (a) => (a.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    b.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * The edit engine (src/core/edits/engine.ts: parsers, markdown-it, placement; ~300 KB) is its own file, required on
 * the first edit: V8 compiles only what activation loads. Every import of it from the host becomes that require.
 * @type {import('esbuild').Plugin}
 */
const editEngineApart = {
  name: 'edit-engine-apart',
  setup(b) {
    b.onResolve({ filter: /\/core\/edits\/engine(\.js)?$/ }, () => ({ path: './edit-engine.js', external: true }));
  },
};

/** The extension host: CommonJS, `vscode` provided by the editor. */
export const host = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/extension/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  external: ['vscode'],
  plugins: [vscodeOnce, editEngineApart],
  supported: { 'dynamic-import': false }, // import() → require(): the host's lazily loaded parts stay CommonJS
});

/** dist/edit-engine.js, required by dist/extension.js on the first edit (see editEngineApart). */
export const editEngine = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/core/edits/engine.ts'],
  outfile: 'dist/edit-engine.js',
  platform: 'node',
  format: 'cjs',
});

/** The engine worker: ESM because node-llama-cpp is ESM-only; never bundled (its binaries rely on their layout). */
const worker = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/worker/main.ts'],
  outfile: 'dist/worker.mjs',
  platform: 'node',
  format: 'esm',
  external: ['node-llama-cpp'],
});

/** The model downloader: forked per download (killable; node-llama-cpp's downloader can hang), ESM like the worker. */
const downloader = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/worker/download/main.ts'],
  outfile: 'dist/download.mjs',
  platform: 'node',
  format: 'esm',
  external: ['node-llama-cpp'],
});

/** The runtime builder ("Ponder: Build Runtime for This Machine"): forked per build in its own process group. */
const runtimeBuilder = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/worker/runtime-build/main.ts'],
  outfile: 'dist/runtime-build.mjs',
  platform: 'node',
  format: 'esm',
  external: ['node-llama-cpp'],
});

/** The repository map's thread (worker_threads, inside the host process): CommonJS like the host, because
 * @vscode/tree-sitter-wasm's wrapper needs `__filename`; it reads the wasm files in dist/tree-sitter/. */
const repomap = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/worker/repomap/main.ts'],
  outfile: 'dist/repomap-worker.js',
  platform: 'node',
  format: 'cjs',
});

/** The side panel: browser code loaded by the webview. */
const webview = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/webview/main.ts'],
  outfile: 'dist/webview/main.js',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
});

/**
 * src/core as one CommonJS module, for benchmarks and external checks (e.g. applyModelEdit); its entry adds a
 * loadSyntax() that reads the wasm files in dist/tree-sitter/ (CommonJS: tree-sitter.js's UMD wrapper needs __filename).
 */
const core = /** @satisfies {BuildOptions} */ ({
  ...common,
  entryPoints: ['src/core-node/index.ts'],
  outfile: 'dist/core.js',
  platform: 'node',
  format: 'cjs',
});

/** The tree-sitter runtime and the grammars the edit engine uses (src/core/edits/syntax/languages.ts WASM_FILES). */
const WASM = ['tree-sitter.wasm', ...['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'c-sharp', 'css'].map((l) => `tree-sitter-${l}.wasm`)];

function copyStatic() {
  mkdirSync('dist/tree-sitter', { recursive: true });
  for (const f of WASM) cpSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${f}`, `dist/tree-sitter/${f}`);
  mkdirSync('dist/webview', { recursive: true });
  cpSync('src/webview/panel.css', 'dist/webview/panel.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
}

const targets = [host, editEngine, worker, downloader, runtimeBuilder, repomap, webview, core];
// Built when run (`node esbuild.mjs`); bench/sections/ext-host.mjs imports `host` to build the bundle as the VSIX ships it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (watch) {
    copyStatic();
    for (const t of targets) await (await esbuild.context(t)).watch();
  } else {
    await Promise.all(targets.map((t) => esbuild.build(t)));
    copyStatic();
  }
}
