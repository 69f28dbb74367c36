// Builds every target of the extension. One options object per target; `node esbuild.mjs --watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
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

/** The extension host: CommonJS, `vscode` provided by the editor. Built by buildHost() (below), not alone. */
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

/** What the host loads on first use: every `import()` target of the host's code, in one file beside extension.js. */
const LAZY_FILE = 'extension-lazy.js';

/** The key of a lazily loaded module in extension-lazy.js (and of a shared one in extension.js's `__shared`). */
const moduleKey = (rel) => rel.replace(/\\/g, '/').replace(/\.[cm]?[jt]sx?$/, '').replace(/[^\w]/g, '_');

/**
 * Host build, pass 1 and 3: an `import()` in the host's code (src/extension, `await import('./tasks.js')`) no longer
 * bundles its target into extension.js but reads it from extension-lazy.js, required the first time it runs.
 * `found` collects the targets (key → absolute path) for that file's build.
 * @returns {import('esbuild').Plugin}
 */
function lazyImports(found) {
  return {
    name: 'lazy-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (a) => {
        if (a.kind !== 'dynamic-import' || a.pluginData === 'lazy-imports') return undefined;
        const r = await b.resolve(a.path, { kind: a.kind, importer: a.importer, resolveDir: a.resolveDir, pluginData: 'lazy-imports' });
        if (r.errors.length || r.external || r.namespace !== 'file') return undefined;
        const key = moduleKey(path.relative(b.initialOptions.absWorkingDir ?? process.cwd(), r.path));
        found.set(key, r.path);
        return { path: key, namespace: 'lazy-import' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-import' }, (a) => ({ contents: `module.exports = require('./${LAZY_FILE}').${a.path};`, loader: 'js' }));
      b.onResolve({ filter: new RegExp(`^\\./${LAZY_FILE.replace('.', '\\.')}$`) }, (a) => ({ path: a.path, external: true }));
    },
  };
}

/**
 * extension-lazy.js: any module extension.js already contains is taken from it (`__shared`), never bundled twice, so
 * module state (the log channel, caches) and classes stay one. `used` collects those modules (key → path).
 * @returns {import('esbuild').Plugin}
 */
function fromHost(hostModules, used) {
  return {
    name: 'from-host',
    setup(b) {
      const root = b.initialOptions.absWorkingDir ?? process.cwd();
      b.onResolve({ filter: /.*/ }, async (a) => {
        if (a.kind === 'entry-point' || a.pluginData === 'from-host' || (a.namespace !== 'file' && a.namespace !== '')) return undefined;
        const r = await b.resolve(a.path, { kind: a.kind, importer: a.importer, resolveDir: a.resolveDir, pluginData: 'from-host' });
        if (r.errors.length || r.external || r.namespace !== 'file') return undefined;
        const rel = path.relative(root, r.path).replace(/\\/g, '/');
        if (!hostModules.has(rel)) return undefined;
        const key = moduleKey(rel);
        used.set(key, rel);
        return { path: key, namespace: 'from-host' };
      });
      b.onLoad({ filter: /.*/, namespace: 'from-host' }, (a) => ({ contents: `module.exports = require('./extension.js').__shared.${a.path};`, loader: 'js' }));
      b.onResolve({ filter: /^\.\/extension\.js$/ }, (a) => ({ path: a.path, external: true }));
    },
  };
}

/**
 * dist/extension.js and dist/extension-lazy.js, in three passes: the host (learning its modules and `import()`
 * targets), the lazy file from those targets, the host again exporting what the lazy file takes from it.
 * `overrides` (the bench): outdir, minify, sourcemap, absWorkingDir, metafile (of extension.js).
 */
export async function buildHost(overrides = {}) {
  const { outdir = 'dist', ...opts } = overrides;
  const root = opts.absWorkingDir ?? process.cwd();
  const targets = new Map();
  const pass1 = await esbuild.build({ ...host, ...opts, write: false, metafile: true, sourcemap: false, plugins: [vscodeOnce, editEngineApart, lazyImports(targets)] });
  // Modules with code in extension.js (a re-exporting index or a fully tree-shaken module has none: the lazy file
  // bundles what it needs of those itself, instead of making extension.js keep all of it).
  const hostModules = new Set(Object.entries(Object.values(pass1.metafile.outputs)[0].inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k));
  const used = new Map();
  await esbuild.build({
    ...common, platform: 'node', format: 'cjs', external: ['vscode'], supported: host.supported, ...opts,
    stdin: { contents: [...targets].map(([k, p]) => `export * as ${k} from ${JSON.stringify(p)};`).join('\n'), resolveDir: root, loader: 'ts', sourcefile: 'extension-lazy.ts' },
    outfile: path.join(outdir, LAZY_FILE),
    plugins: [vscodeOnce, editEngineApart, fromHost(hostModules, used)],
  });
  const shared = [...used].map(([k, rel]) => [k, path.join(root, rel)]);
  return esbuild.build({
    ...host, ...opts,
    entryPoints: undefined,
    stdin: {
      contents: `export * from ${JSON.stringify(path.join(root, 'src/extension/extension.ts'))};\n`
        + shared.map(([k, p]) => `import * as ${k} from ${JSON.stringify(p)};\n`).join('')
        + `/** Modules extension-lazy.js takes from this file (esbuild.mjs buildHost). */\nexport const __shared = { ${shared.map(([k]) => k).join(', ')} };\n`,
      resolveDir: root, loader: 'ts', sourcefile: 'extension-entry.ts',
    },
    outfile: path.join(outdir, 'extension.js'),
    plugins: [vscodeOnce, editEngineApart, lazyImports(new Map())],
  });
}

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

const targets = [editEngine, worker, downloader, runtimeBuilder, repomap, webview, core];
// Built when run (`node esbuild.mjs`); bench/sections/ext-host.mjs imports `host` to build the bundle as the VSIX ships it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (watch) {
    copyStatic();
    for (const t of targets) await (await esbuild.context(t)).watch();
    // The host's three passes rerun on any change under src/ (a context cannot chain builds).
    const hostWatch = await esbuild.context({ ...host, write: false, plugins: [...host.plugins, { name: 'rebuild-host', setup: (b) => b.onEnd(() => buildHost().catch((e) => console.error(e))) }] });
    await hostWatch.watch();
  } else {
    await Promise.all([buildHost(), ...targets.map((t) => esbuild.build(t))]);
    copyStatic();
  }
}
