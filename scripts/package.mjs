// `npm run package`: a .vsix with the bundled host/worker/webview code, media/, and node-llama-cpp with only the
// target platform's prebuilt binary. Staged in .cache/vsix-stage so the repo's own node_modules stay untouched.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = process.env.PONDER_VSIX_TARGET ?? 'linux-x64'; // see BINARY below for the others
const stage = path.join(root, '.cache', 'vsix-stage');
// VS Code target → node-llama-cpp's prebuilt CPU/Metal binary package (GPU variants are left to a later download).
const BINARY = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'linux-armhf': 'linux-armv7l', 'darwin-arm64': 'mac-arm64-metal', 'darwin-x64': 'mac-x64', 'win32-x64': 'win-x64', 'win32-arm64': 'win-arm64' };
if (!BINARY[target]) throw new Error(`unknown target ${target}; one of ${Object.keys(BINARY).join(', ')}`);
const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
};

run(process.execPath, ['esbuild.mjs', '--production'], root);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const llamaVersion = pkg.dependencies['node-llama-cpp'];
const staged = { ...pkg, scripts: {}, devDependencies: {}, dependencies: { 'node-llama-cpp': llamaVersion, [`@node-llama-cpp/${BINARY[target]}`]: llamaVersion } };
writeFileSync(path.join(stage, 'package.json'), JSON.stringify(staged, null, 2));
for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md', 'media', 'dist']) cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
writeFileSync(path.join(stage, '.vscodeignore'), [
  '**/*.map', '**/*.d.ts', '**/*.ts.map', 'package-lock.json',
  // node-llama-cpp's CLI project templates are never used. Its source build kit (llama/gitRelease.bundle, addon/,
  // cmake/, CMakeLists.txt, …) stays: "Ponder: Build Runtime for This Machine" builds from it, offline.
  // A build made in a development checkout must not ship: it belongs to the machine that made it.
  'node_modules/node-llama-cpp/templates/**', 'node_modules/node-llama-cpp/llama/localBuilds/**',
  'node_modules/node-llama-cpp/llama/llama.cpp/**', 'node_modules/**/README.md', 'node_modules/**/CHANGELOG.md',
].join('\n') + '\n');

// Only the chosen platform's binary: optional dependencies (CUDA, Vulkan, other OSes) are left out.
run('npm', ['install', '--omit=optional', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--force'], stage);
// The same fixes to node-llama-cpp as in development (patches/, applied by patch-package at `npm install`): the
// staged install ran no scripts, so apply them here; a patch that no longer applies fails the package.
cpSync(path.join(root, 'patches'), path.join(stage, 'patches'), { recursive: true });
run(process.execPath, [path.join(root, 'node_modules/patch-package/index.js'), '--error-on-fail'], stage);
rmSync(path.join(stage, 'patches'), { recursive: true, force: true });
const out = path.join(root, `ponder-${target}-${pkg.version}.vsix`);
run(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', target, '--out', out], stage);
console.log(`\nVSIX: ${out} (${(statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
