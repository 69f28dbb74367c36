import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keyLabels, SUGGESTIONS } from '../../src/webview/shortcuts';

interface Keybinding { command: string; key: string; mac?: string }

describe('the empty panel\'s suggestions', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { keybindings: Keybinding[]; commands: { command: string }[] } };
  it('show the keybindings package.json contributes for their commands', () => {
    assert.equal(SUGGESTIONS.length, 3);
    for (const s of SUGGESTIONS) {
      const kb = pkg.contributes.keybindings.find((k) => k.command === s.command);
      assert.ok(kb, `${s.command} has a keybinding`);
      assert.deepEqual([s.key, s.mac], [kb.key, kb.mac], s.command);
    }
  });
  it('spell keys the way VS Code shows them', () => {
    assert.deepEqual(keyLabels('ctrl+alt+p', false), ['Ctrl', 'Alt', 'P']);
    assert.deepEqual(keyLabels('cmd+alt+p', true), ['⌘', '⌥', 'P']);
  });
});
