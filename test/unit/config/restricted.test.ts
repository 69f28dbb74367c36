/** Workspace Trust for settings: the declared restricted list, and reading a workspace's settings file (JSONC). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RESTRICTED_SETTINGS, describeIgnored, restrictedSettingsIn } from '../../../src/core/config/restricted';
import { repoRoot } from '../../support/paths';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { type: string; scope?: string }> } };
}

describe('Restricted Mode settings', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as Manifest;

  it('package.json declares exactly the settings the code guards', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), [...RESTRICTED_SETTINGS].sort());
  });

  it('every setting that names a file, folder, URL, header or engine is restricted', () => {
    const props = manifest.contributes.configuration.properties;
    const mustBe = Object.keys(props).filter((k) => /model$|folder|url|header|engine$|path|command/i.test(k) && props[k]?.type !== 'integer');
    for (const k of mustBe) assert.ok((RESTRICTED_SETTINGS as readonly string[]).includes(k), `${k} is not restricted`);
    assert.ok(mustBe.includes('ponder.model') && mustBe.includes('ponder.remote.headers'));
  });

  // code-server (and any remote window) drops machine-scoped values from the user settings.json whenever it re-reads
  // the file after the extension registered its settings: "Ponder: no model" although settings.json sets ponder.model.
  it('no setting is machine-scoped, so the user settings.json of a code-server window keeps applying', () => {
    const props = manifest.contributes.configuration.properties;
    const machine = Object.keys(props).filter((k) => /^machine/.test(props[k]?.scope ?? ''));
    assert.deepEqual(machine, []);
  });

  it('finds restricted settings in a JSONC settings file: comments, trailing commas, a .code-workspace section', () => {
    const text = '{\n  // the model for this repo\n  "ponder.model": "models/x.gguf", /* here */\n  "ponder.threads": 2,\n  "ponder.remote.headers": {"X-A": "b"},\n}\n';
    assert.deepEqual(restrictedSettingsIn(text), [
      { key: 'ponder.model', value: '"models/x.gguf"' },
      { key: 'ponder.remote.headers', value: '{"X-A":"b"}' },
    ]);
    assert.deepEqual(restrictedSettingsIn('{"folders": [], "settings": {"ponder.engine": "openai-compatible",}}', 'settings').map((v) => v.key), ['ponder.engine']);
    assert.deepEqual(restrictedSettingsIn('not json'), []);
    assert.deepEqual(restrictedSettingsIn('[]'), []);
    assert.deepEqual(restrictedSettingsIn('{"ponder.threads": 1}'), []);
  });

  it('shows a hostile value on one short line', () => {
    const [v] = restrictedSettingsIn(JSON.stringify({ 'ponder.model': `a\u2028b\n${'x'.repeat(200)}` }));
    assert.ok(v && v.value.length <= 80 && !/[\n\u2028]/.test(v.value));
    assert.equal(describeIgnored([{ key: 'ponder.model', value: '"m.gguf"' }]), 'ponder.model = "m.gguf"');
  });
});
