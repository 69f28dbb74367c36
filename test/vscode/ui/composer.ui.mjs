// The composer never loses what the user typed: binary `@` mentions are refused when picked, every failure of Send
// puts the text back with the reason, and an oversized file is attached cut, with the cut shown on its chip.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { poll, repoRoot, withWorkbench } from '../harness/run-suite.mjs';
import { ask, openPanel } from './panel-features.ui.mjs';

/** Types `@query`, waits for `file` in the completion list and picks it with Enter. */
async function mention(panel, query, file) {
  await panel.locator('#prompt').pressSequentially(`@${query}`);
  await poll(async () => (await panel.locator('#mentions li', { hasText: file }).count()) === 1, `${file} in the @ completion list`);
  await panel.locator('#prompt').press('Enter');
}

const binary = () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...Array(200).fill(0)]);

export const composerScenarios = [
  {
    name: 'composer: a binary @mention is refused when picked; a failed send keeps the question; a 400 KB one-line file is attached cut, and says so',
    async run({ models, baseSettings, workspace, scenarios }) {
      writeFileSync(path.join(workspace, 'blob.png'), binary());
      writeFileSync(path.join(workspace, 'notes.txt'), 'Some notes about the project.\n');
      writeFileSync(path.join(workspace, 'bundle.min.js'), `var data=${JSON.stringify('x'.repeat(400 * 1024))};`);
      await withWorkbench({ label: 'ui-composer', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.model': models.short } }, async ({ page }) => {
        const panel = await openPanel(page);
        const prompt = panel.locator('#prompt');
        const error = panel.locator('#composerError');

        // 1. Picking a binary file: no chip, and a message saying why.
        await prompt.fill('');
        await mention(panel, 'blob', 'blob.png');
        await poll(async () => /blob\.png is a binary file/.test((await error.textContent()) ?? ''), 'the binary-file message');
        assert.equal(await error.isVisible(), true);
        assert.equal(await panel.locator('#chips .chip', { hasText: 'blob.png' }).count(), 0, 'no chip for the binary file');

        // 2. A text file picked, then replaced by binary bytes before Send (the original bug: the question vanished).
        await mention(panel, 'notes', 'notes.txt');
        await poll(async () => (await panel.locator('#chips .chip', { hasText: '@notes.txt' }).count()) === 1, 'the notes.txt chip');
        writeFileSync(path.join(workspace, 'notes.txt'), binary());
        const question = 'What do these notes say about the build?';
        await prompt.fill(question);
        await prompt.press('Enter');
        await poll(async () => /notes\.txt is a binary file/.test((await error.textContent()) ?? ''), 'the send failure in the panel');
        assert.equal(await prompt.inputValue(), question, 'the typed question is back in the box');
        assert.equal(await panel.locator('.turn').count(), 0, 'no turn was started');

        // 3. The file deleted before Send: the same — the text stays, the reason is shown.
        rmSync(path.join(workspace, 'notes.txt'));
        await prompt.press('Enter');
        await poll(async () => /notes\.txt could not be read/.test((await error.textContent()) ?? ''), 'the missing-file failure');
        assert.equal(await prompt.inputValue(), question);
        await panel.locator('#chips .chip', { hasText: '@notes.txt' }).locator('button').click();

        // 4. A message longer than the panel may send is refused in place.
        const long = 'y'.repeat(100_001);
        await prompt.fill(long);
        await prompt.press('Enter');
        await poll(async () => /most Ponder sends is 100,000/.test((await error.textContent()) ?? ''), 'the too-long message');
        assert.equal((await prompt.inputValue()).length, long.length, 'the long text is kept');

        // 5. A 400 KB single-line minified file: attached, cut to its share, and the chip says how much and why.
        await prompt.fill('');
        await mention(panel, 'bundle', 'bundle.min.js');
        const chip = panel.locator('#chips .chip', { hasText: '@bundle.min.js' });
        await poll(async () => (await chip.count()) === 1, 'the bundle chip');
        const note = (await chip.locator('.chip-note').textContent()) ?? '';
        assert.match(note, /^first \d+(\.\d)? K?B of 400 KB \(one 400 KB line\) · minified$/, note);
        assert.match((await chip.getAttribute('title')) ?? '', /only the first .* fit in the model's context/);
        const turn = await ask(panel, 'What is in this bundle?');
        await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the answer with the cut file attached');
        assert.equal((await turn.locator('.answer').innerText()).trim(), scenarios.short.answer);
        assert.equal(await error.isVisible(), false, 'a successful send clears the message');
        assert.equal(await chip.count(), 0, 'a mention is used by one message');
      });
    },
  },
];
