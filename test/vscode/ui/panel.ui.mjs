// UI scenarios driven from outside with Playwright: what a user sees in the Ponder panel of a real workbench.
import assert from 'node:assert/strict';
import { openActivityBarItem, poll, repoRoot, runCommand, webviewFrame, withWorkbench } from '../harness/run-suite.mjs';

export const uiScenarios = [
  {
    name: 'ponder.ask streams the reasoning, then Answer now brings the answer; Stop ends a turn mid-thought',
    async run({ models, baseSettings, workspace, scenarios }) {
      await withWorkbench({ label: 'ui-ask-stream', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.contextSize': 16384, 'ponder.model': models['long-thought'] } }, async ({ page }) => {
        await openActivityBarItem(page, 'Ponder');
        const panel = webviewFrame(page);
        await panel.locator('#prompt').waitFor({ state: 'visible', timeout: 30_000 });

        // Palette → input box → the turn streams its reasoning into the panel.
        await runCommand(page, 'Ponder: Ask');
        const box = page.locator('.quick-input-widget input.input');
        await box.waitFor({ state: 'visible' });
        await box.fill('Why is the sky blue?');
        await page.keyboard.press('Enter');
        const turn = panel.locator('.turn').first();
        await poll(async () => (await turn.locator('.thinking-text').textContent())?.length > 40, 'reasoning text in the panel');
        assert.equal(await turn.locator('.answer').textContent(), '', 'no answer while thinking');
        assert.match(await turn.locator('.thinking-header').textContent(), /^Thinking… \d+\.\d s · \d+ tokens/);
        assert.equal(await turn.getAttribute('data-state'), 'streaming');

        // Answer now (the panel's button): the thought ends and the answer arrives below it.
        await panel.locator('#answerNow').click();
        await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the turn to finish');
        assert.equal((await turn.locator('.answer').textContent()).trim(), scenarios['long-thought'].answer);
        assert.match(await turn.locator('.thinking-header').textContent(), /^Thought for \d+\.\d s \(\d+ tokens\) · cut short$/);
        assert.equal(await turn.locator('details.thinking').getAttribute('open'), null, 'the thinking block collapsed when the answer started');
        assert.equal(await panel.locator('#announce').textContent(), 'Answer ready.');

        // A second turn from the panel's input (Enter sends), stopped mid-thought.
        await panel.locator('#prompt').fill('Think again');
        await panel.locator('#prompt').press('Enter');
        const second = panel.locator('.turn').nth(1);
        await poll(async () => (await second.locator('.thinking-text').textContent())?.length > 40, 'second turn reasoning');
        await panel.locator('#stop').click();
        await poll(async () => (await second.getAttribute('data-state')) === 'aborted', 'the turn to be marked stopped');
        const stoppedText = await second.locator('.thinking-text').textContent();
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(await second.locator('.thinking-text').textContent(), stoppedText, 'nothing streams after Stop');
        assert.equal(await second.locator('.answer').textContent(), '');
        assert.match(await second.locator('.note').textContent(), /Stopped/);
      });
    },
  },
];
