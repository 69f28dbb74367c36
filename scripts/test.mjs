// `npm test`: build, type-check, then unit, webview (plain Chromium), engine and real-VS-Code tests. `npm test -- unit engine` runs a subset.
import { spawnSync } from 'node:child_process';

const all = ['build', 'typecheck', 'unit', 'webview', 'engine', 'start', 'vscode'];
const asked = process.argv.slice(2);
const wanted = new Set(asked.length ? ['build', ...asked] : all);
const mocha = ['node_modules/mocha/bin/mocha.js', '--reporter', 'spec'];

const steps = {
  build: [['node', 'esbuild.mjs'], ['npx', 'tsc', '-p', 'test/tsconfig.json']],
  typecheck: [['npm', 'run', '--silent', 'typecheck']],
  unit: [['node', ...mocha, 'out/test/unit/**/*.test.js']],
  // The built side panel in plain Chromium: layout at sidebar widths in three themes, following the stream.
  webview: [['node', ...mocha, '--timeout', '120000', 'test/webview/*.test.mjs']],
  engine: [['node', ...mocha, '--timeout', '60000', 'out/test/engine/**/*.test.js']],
  start: [['node', ...mocha, 'out/test/scripts/**/*.test.js']], // npm start: one instance, nothing survives a kill
  vscode: [['node', 'test/vscode/run.mjs']],
};

const started = Date.now();
const times = [];
for (const name of all) {
  if (!wanted.has(name)) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  for (const [cmd, ...args] of steps[name]) {
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`\n✖ ${name} failed (${[cmd, ...args].join(' ')} exited ${r.status ?? r.signal})`);
      process.exit(1);
    }
  }
  times.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
console.log(`\n✔ all green in ${((Date.now() - started) / 1000).toFixed(1)} s (${times.join(', ')})`);
