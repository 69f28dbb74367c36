// `npm run test:desktop`: the same extension-host suite in desktop VS Code via @vscode/test-electron.
// It downloads VS Code on first use, so it needs internet access (the CI machine has none and uses code-server).
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { ensureScenarioModel, SCENARIOS } from '../../scripts/gguf/generate-model.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const model = await ensureScenarioModel('short', path.join(repoRoot, '.cache', 'test-models'));
const workspace = mkdtempSync(path.join(os.tmpdir(), 'ponder-ws-'));
cpSync(path.join(repoRoot, 'test/fixtures/workspace'), workspace, { recursive: true });
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'ponder-desktop-'));
mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'ponder.model': model, 'ponder.threads': 1, 'ponder.contextSize': 2048 }));

try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/test/vscode/suite/index.js'),
    launchArgs: [workspace, `--user-data-dir=${userDataDir}`, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { PONDER_TEST_SHORT_ANSWER: SCENARIOS.short.answer },
  });
} catch (e) {
  console.error(`✖ desktop tests failed: ${e instanceof Error ? e.message : e}`);
  console.error('  (This runner downloads VS Code 1.100.3; offline machines use `npm test`, which runs the suite in code-server.)');
  process.exit(1);
}
