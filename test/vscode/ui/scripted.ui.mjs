// "Apply to file…" from the chat, driven like a user, with the real remote engine against the SCRIPTED STAND-IN
// server (test/support/scripted-server.ts — not a model: reply N to request N). The panel sends only which block;
// the host takes it from the stored answer with its file-name line and sibling blocks.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { editorText, openPanel, poll, repoRoot, withWorkbench } from '../harness/run-suite.mjs';


async function openFile(page, name, shows) {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await poll(async () => shows.test(await editorText(page)), `${name} open in an editor`);
}

/**
 * Asks in the panel; resolves with the answered turn. On this shared 2-core machine a just-opened webview is
 * sometimes still (re)loading and drops the message: then the panel is reopened and the question typed again.
 */
async function askAndWait(page, text) {
  for (let attempt = 1; ; attempt++) {
    const panel = await openPanel(page);
    const before = await panel.locator('.turn').count().catch(() => 0);
    try {
      await panel.locator('#prompt').fill(text, { timeout: 5_000 });
      await panel.locator('#prompt').press('Enter', { timeout: 5_000 });
      // Sent = the composer emptied the box (the turn itself can take a while to show on a loaded machine).
      await poll(async () => (await panel.locator('#prompt').inputValue()) === '', 'the message sent', 10_000);
    } catch (e) {
      if (attempt === 3) throw e;
      continue;
    }
    await poll(async () => (await panel.locator('.turn').count()) > before, 'the new turn', 60_000);
    const turn = panel.locator('.turn').nth(before);
    await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the scripted answer');
    return turn;
  }
}

/** Apply to file… on block `index` of `turn`, pick `file`, then Apply through the CodeLens and save. */
async function applyBlock(page, turn, index, file) {
  await turn.locator('.code-block').nth(index).locator('button[data-action="apply"]').click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().click();
  const applyLens = page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" });
  await applyLens.first().waitFor({ state: 'visible', timeout: 30_000 });
  return applyLens.first();
}

async function scripted(replies) {
  const { startScriptedServer } = await import('../../../out/test/support/scripted-server.js');
  return startScriptedServer(replies);
}

const remoteSettings = (baseSettings, server) => ({ ...baseSettings, 'ponder.engine': 'openai-compatible', 'ponder.remote.baseUrl': server.baseUrl });
const sr = (a, b) => `\`\`\`ts\n<<<<<<< SEARCH\n${a}\n=======\n${b}\n>>>>>>> REPLACE\n\`\`\``;

const SHAPES = `export class Shapes {
  constructor(private readonly unit: string) {}

  area(w: number, h: number): number {
    return w * h;
  }

  perimeter(w: number, h: number): number {
    return 2 * (w + h);
  }

  diagonal(w: number, h: number): number {
    return Math.sqrt(w * w + h * h);
  }

  label(value: number): string {
    return \`\${value} \${this.unit}\`;
  }
}
`;
const NEW_PERIMETER = `  /** Perimeter of a w×h rectangle. */
  public perimeter(w: number, h: number): number {
    return (w + h) * 2;
  }`;

export const scriptedScenarios = [
  {
    name: 'Apply to file… takes the block with its file-name line and sibling SEARCH/REPLACE blocks from the stored answer',
    async run({ baseSettings, workspace }) {
      const file = path.join(workspace, 'src/lists.ts');
      const original = readFileSync(file, 'utf8');
      const answer = `Both functions index wrongly.\n\nsrc/lists.ts\n${sr('  return xs[1];', '  return xs[0];')}\n\nsrc/lists.ts\n${sr('  return xs[xs.length];', '  return xs[xs.length - 1];')}\n\nUse it like this:\n\n\`\`\`ts\nfirst([3, 4]);\n\`\`\`\n`;
      const server = await scripted([{ reasoning: 'first() reads xs[1] and last() reads past the end.', answer }]);
      try {
        await withWorkbench({ label: 'ui-apply-siblings', extensionPath: repoRoot, workspace, userSettings: remoteSettings(baseSettings, server) }, async ({ page }) => {
          await openFile(page, 'math.ts', /function add/); // another file is the last editor: the answer's own file name must win
          const turn = await askAndWait(page, 'Fix first and last in src/lists.ts');
          await turn.locator('.code-block').nth(0).locator('button[data-action="apply"]').click();
          const named = page.locator('.quick-input-list .monaco-list-row', { hasText: 'src/lists.ts' }).first();
          await named.waitFor({ state: 'visible', timeout: 15_000 });
          assert.match(await named.innerText(), /named in the answer/, 'the file named before the block is offered');
          await named.click();
          // Both SEARCH/REPLACE blocks of the edit arrive: two changes (the old DOM route sent only the clicked one).
          await page.locator('.codelens-decoration a', { hasText: 'Accept change 2/2' }).first().waitFor({ state: 'visible', timeout: 30_000 });
          assert.equal(readFileSync(file, 'utf8'), original, 'nothing written before Apply');
          await page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" }).first().click();
          await poll(async () => /xs\.length - 1/.test(await editorText(page)), 'the applied change');
          await page.keyboard.press('Control+S');
          await poll(async () => readFileSync(file, 'utf8') === original.replace('xs[1]', 'xs[0]').replace('xs[xs.length]', 'xs[xs.length - 1]'), 'both changes saved');
          assert.equal(server.requests.length, 1);
        });
      } finally {
        await server.stop();
      }
    },
  },
  {
    name: 'A proposal the edit engine could only place with a warning shows it and asks (modal) before Apply',
    async run({ baseSettings, workspace }) {
      const file = path.join(workspace, 'src/lists.ts');
      const original = readFileSync(file, 'utf8');
      const renamed = original.replace('xs[1]', 'xs[0]').replace('function last', 'function final').replace('xs[xs.length]', 'xs[xs.length - 1]');
      const server = await scripted([{ reasoning: 'Off by one twice; final() reads better.', answer: `\`\`\`ts\n${renamed}\`\`\`\n` }]);
      try {
        await withWorkbench({ label: 'ui-warned-apply', extensionPath: repoRoot, workspace, userSettings: remoteSettings(baseSettings, server) }, async ({ page }) => {
          await openFile(page, 'lists.ts', /function first/);
          const turn = await askAndWait(page, 'Fix the indexes in lists.ts');
          const apply = await applyBlock(page, turn, 0, 'src/lists.ts');
          await page.locator('.codelens-decoration a', { hasText: 'Uncertain: the answer\'s version of the file no longer has' }).first().waitFor({ state: 'visible', timeout: 15_000 });
          const dialog = page.locator('.monaco-dialog-box');
          await apply.click();
          await dialog.waitFor({ state: 'visible', timeout: 15_000 });
          assert.match(await dialog.innerText(), /had to guess[\s\S]*no longer has last \(line \d+\)/);
          await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
          await dialog.waitFor({ state: 'hidden' });
          assert.match(await editorText(page), /function last/, 'Cancel: nothing written');
          await page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" }).first().click();
          await dialog.waitFor({ state: 'visible', timeout: 15_000 });
          await dialog.locator('.monaco-button', { hasText: 'Apply Anyway' }).click();
          await poll(async () => /function final/.test(await editorText(page)), 'applied after confirming');
        });
      } finally {
        await server.stop();
      }
    },
  },
  {
    name: 'Apply to file… on a lazy class block replaces the one method and keeps the others (structure-aware placement)',
    async run({ baseSettings, workspace }) {
      const file = path.join(workspace, 'src/shapes.ts');
      writeFileSync(file, SHAPES);
      const answer = `Here is a clearer \`perimeter\`:\n\n\`\`\`ts\n  // ... existing code ...\n\n${NEW_PERIMETER}\n\n  // ... existing code ...\n\`\`\`\n`;
      const server = await scripted([{ reasoning: 'The perimeter is twice the sum of the sides; document it.', answer }]);
      try {
        await withWorkbench({ label: 'ui-apply-lazy-class', extensionPath: repoRoot, workspace, userSettings: remoteSettings(baseSettings, server) }, async ({ page }) => {
          await openFile(page, 'shapes.ts', /class Shapes/);
          const turn = await askAndWait(page, 'Make perimeter clearer');
          const apply = await applyBlock(page, turn, 0, 'src/shapes.ts');
          await apply.click();
          await poll(async () => /\(w \+ h\) \* 2/.test(await editorText(page)), 'the applied change');
          await page.keyboard.press('Control+S');
          const expected = SHAPES.replace('  perimeter(w: number, h: number): number {\n    return 2 * (w + h);\n  }', NEW_PERIMETER);
          await poll(async () => readFileSync(file, 'utf8') !== SHAPES, 'the file saved');
          await poll(async () => readFileSync(file, 'utf8') === expected, 'the saved file', 10_000).catch(() => undefined); // a save can land in two writes
          assert.equal(readFileSync(file, 'utf8'), expected, 'perimeter replaced in place; area, diagonal and label intact');
        });
      } finally {
        await server.stop();
      }
    },
  },
];
