/** Pure parts of redo and of proposal events: the redo prompt, lines changed outside a range, applied ranges. */
import assert from 'node:assert/strict';
import { changedLines, changesOutside, describeOutside } from '../../../src/core/edits/changed-lines';
import { buildRedoPrompt, MAX_REGION_CHARS, mentionedLine, redoDisplay } from '../../../src/core/edits/redo-prompt';

const FILE = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n') + '\n';

describe('redo prompt', () => {
  const region = { startLine: 2, endLine: 4, text: 'c\nd\ne\n', wholeFile: false };

  it('quotes the refusal reason and the current text of the region, and asks for the range only', () => {
    const p = buildRedoPrompt({ path: 'src/x.ts', lang: 'ts', problem: { kind: 'refused', reason: 'the code block is never closed: the answer looks cut off' }, region, rangeBound: true });
    assert.match(p, /^Ponder could not apply your previous answer to `src\/x\.ts`: the code block is never closed: the answer looks cut off\.\n/);
    assert.ok(p.includes('This is the current text of lines 3–5 of `src/x.ts`:\n```ts\nc\nd\ne\n```'), p);
    assert.match(p, /Rewrite lines 3–5 as a whole and change nothing outside them\./);
  });

  it('lists every warning of a warned edit; a whole-file region asks for whole declarations with their names', () => {
    const p = buildRedoPrompt({ path: 'a.py', lang: 'python', problem: { kind: 'warned', warnings: ['the answer expects `if user.is_admin:` at line 26; the file has `if user.is_staff:`', 'second'] }, region: { startLine: 0, endLine: 6, text: FILE, wholeFile: true }, rangeBound: false });
    assert.match(p, /only by guessing:\n- the answer expects `if user\.is_admin:` at line 26; the file has `if user\.is_staff:`\n- second\n/);
    assert.match(p, /current text of `a\.py`:/);
    assert.match(p, /same names as in the file/);
  });

  it('cuts a huge region at a line boundary and says so', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const p = buildRedoPrompt({ path: 'x.ts', lang: 'ts', problem: { kind: 'refused', reason: 'r' }, region: { startLine: 0, endLine: 4999, text: big, wholeFile: true }, rangeBound: false });
    assert.ok(p.length < MAX_REGION_CHARS + 2000);
    assert.match(p, /\(its first \d+ lines\):/);
  });

  it('finds the line a refusal or warning names (to quote the right part of a big file)', () => {
    assert.equal(mentionedLine({ kind: 'refused', reason: 'the result would delete `totalByKey` (line 12), which the answer does not remove explicitly' }), 11);
    assert.equal(mentionedLine({ kind: 'warned', warnings: ['the answer expects `if user.is_admin:` at line 26; the file has `if user.is_staff:`'] }), 25);
    assert.equal(mentionedLine({ kind: 'refused', reason: 'the code block is never closed' }), undefined);
  });

  it('names the redo turn in the panel after the edit and the reason', () => {
    assert.equal(redoDisplay('fix add()', { kind: 'refused', reason: 'the result would delete `add` (line 1).' }), 'Redo: fix add() — the result would delete add (line 1)', 'plain text: the chat shows it verbatim');
  });
});

describe('lines changed outside the range asked about', () => {
  const edit = (f: (l: string[]) => void) => {
    const l = FILE.split('\n');
    f(l);
    return l.join('\n');
  };

  it('nothing when the change stays inside (or only extends the range at its edges)', () => {
    assert.deepEqual(changesOutside(FILE, edit((l) => (l[3] = 'D')), { startLine: 2, endLine: 4 }), []);
    assert.deepEqual(changesOutside(FILE, edit((l) => l.splice(5, 0, 'new')), { startLine: 2, endLine: 4 }), [], 'appended right after the range');
  });

  it('reports changed, deleted and inserted lines outside, merged, in the original numbering', () => {
    const out = changesOutside(FILE, edit((l) => {
      l[0] = 'A';
      l[1] = 'B';
      l[3] = 'D';
      l[6] = 'G';
    }), { startLine: 2, endLine: 4 });
    assert.deepEqual(out, [{ startLine: 0, endLine: 1 }, { startLine: 6, endLine: 6 }]);
    assert.equal(describeOutside(out), 'also changes lines 1–2 and line 7 outside the selection');
    assert.deepEqual(changesOutside(FILE, edit((l) => l.splice(0, 0, 'import x;')), { startLine: 2, endLine: 4 }), [{ startLine: 0, endLine: 0 }], 'an insertion at the top');
    assert.equal(describeOutside([], '`add`'), '');
  });
});

describe('applied-event ranges', () => {
  it('gives each change as lines of the new text, deletions as an empty range, with the hunks', () => {
    const after = 'a\nB\nB2\nc\ne\nf\ng\n';
    const { hunks, regions } = changedLines(FILE, after);
    assert.equal(hunks.length, 2);
    assert.deepEqual(regions, [
      { startLine: 1, endLine: 2, endCharacter: 2, deletion: false },
      { startLine: 4, endLine: 4, endCharacter: 0, deletion: true },
    ]);
  });
});
