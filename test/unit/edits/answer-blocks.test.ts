/** "Apply to file…" takes block N of the stored answer with what the edit engine needs; the panel sends only N. */
import assert from 'node:assert/strict';
import { applyModelEdit } from '../../../src/core/edits';
import { answerBlocks, answerForBlock } from '../../../src/core/edits/answer-blocks';
import { parsePanelMessage } from '../../../src/core/protocol/panel';

const LISTS = `export function first(xs: readonly number[]): number {
  return xs[1];
}

export function last(xs: readonly number[]): number {
  return xs[xs.length];
}
`;
const sr = (a: string, b: string) => `\`\`\`ts\n<<<<<<< SEARCH\n${a}\n=======\n${b}\n>>>>>>> REPLACE\n\`\`\``;

/** What the old panel sent: one fence rebuilt from the rendered code text (no name line, no siblings). */
const oldDomRoute = (lang: string, code: string) => `\`\`\`${lang}\n${code}\`\`\``;

describe('answer blocks for "Apply to file…"', () => {
  it('counts fences as the panel renders them (nested in lists too) and names each from its file-name line or info', () => {
    const answer = ['Intro.', '', '**src/a.ts**', '```ts', 'a()', '```', '', '1. Then:', '   ```py b.py', '   b()', '   ```', '', '    indented code (no buttons)', ''].join('\n');
    const blocks = answerBlocks(answer);
    assert.deepEqual(blocks.map((b) => [b.index, b.lang, b.name, b.kind]), [[0, 'ts', 'src/a.ts', 'code'], [1, 'py', 'b.py', 'code']]);
    assert.equal(blocks[0].text, '**src/a.ts**\n```ts\na()\n```');
  });

  it('keeps the sibling SEARCH/REPLACE blocks of the same file: both changes apply (the old DOM route lost one)', () => {
    const answer = `Two fixes in \`src/lists.ts\`:\n\nsrc/lists.ts\n${sr('  return xs[1];', '  return xs[0];')}\n\nsrc/lists.ts\n${sr('  return xs[xs.length];', '  return xs[xs.length - 1];')}\n\nUsage:\n\n\`\`\`ts\nfirst([1, 2]);\n\`\`\`\n`;
    const ex = answerForBlock(answer, 0);
    assert.ok(ex.ok);
    assert.deepEqual(ex.included, [0, 1], 'the usage block is not part of the edit');
    const applied = applyModelEdit(LISTS, ex.answer, { path: 'src/lists.ts' });
    assert.ok(applied.ok, applied.ok ? '' : applied.reason);
    assert.equal(applied.text, LISTS.replace('xs[1]', 'xs[0]').replace('xs[xs.length]', 'xs[xs.length - 1]'));
    const old = applyModelEdit(LISTS, oldDomRoute('ts', `<<<<<<< SEARCH\n  return xs[1];\n=======\n  return xs[0];\n>>>>>>> REPLACE\n`), { path: 'src/lists.ts' });
    assert.ok(old.ok && !old.text.includes('xs.length - 1'), 'control: the old route applied only the first change');
  });

  it('keeps the file-name line, so a block named for another file is not applied to this one', () => {
    const answer = `Update the helper:\n\n**src/other.ts**\n\`\`\`ts\nexport function first(xs: readonly number[]): number {\n  return xs[0];\n}\n\`\`\`\n`;
    const ex = answerForBlock(answer, 0);
    assert.ok(ex.ok);
    assert.equal(ex.block.name, 'src/other.ts');
    const r = applyModelEdit(LISTS, ex.answer, { path: 'src/lists.ts' });
    assert.equal(r.ok, false, 'the answer says it is for src/other.ts');
    assert.equal(applyModelEdit(LISTS, oldDomRoute('ts', 'export function first(xs: readonly number[]): number {\n  return xs[0];\n}\n'), { path: 'src/lists.ts' }).ok, true, 'control: without the name line it would have been applied here');
  });

  it('keeps an unclosed fence unclosed (refused as cut off, never completed by the panel)', () => {
    const ex = answerForBlock('```ts\nexport function first(xs: readonly number[]): number {\n  return xs[0];\n', 0);
    assert.ok(ex.ok);
    assert.ok(!ex.answer.trimEnd().endsWith('```'));
    const r = applyModelEdit(LISTS, ex.answer, { path: 'src/lists.ts' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /never closed/);
  });

  it('refuses an index the answer does not have', () => {
    const r = answerForBlock('no code here', 0);
    assert.deepEqual(r, { ok: false, reason: 'the answer has no code block 1 (it has 0)' });
  });

  it('the panel message carries only {turnId, blockIndex}, validated', () => {
    assert.deepEqual(parsePanelMessage({ type: 'panel/applyCode', turnId: 't1', blockIndex: 2 }), { ok: true, value: { type: 'panel/applyCode', turnId: 't1', blockIndex: 2 } });
    for (const bad of [{ turnId: 't1' }, { turnId: 't1', blockIndex: -1 }, { turnId: 't1', blockIndex: 1.5 }, { blockIndex: 0 }, { turnId: 't1', blockIndex: '0' }]) {
      assert.equal(parsePanelMessage({ type: 'panel/applyCode', ...bad }).ok, false, JSON.stringify(bad));
    }
  });
});
