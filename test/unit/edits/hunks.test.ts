import assert from 'node:assert/strict';
import { applyHunks, computeHunks } from '../../../src/core/edits/index';

const subsets = (n: number): number[][] => Array.from({ length: 1 << n }, (_, m) => [...Array(n).keys()].filter((i) => m & (1 << i)));

describe('edits: computeHunks / applyHunks', () => {
  const original = 'a\nb\nc\nd\ne\nf\ng\n';
  const proposed = 'A\nb\nc\nd\nnew\ne\nf\n';

  it('computes one hunk per separate change (no context by default)', () => {
    const hunks = computeHunks(original, proposed);
    assert.deepEqual(hunks, [
      { oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+A'] },
      { oldStart: 5, oldLines: 0, newStart: 5, newLines: 1, lines: ['+new'] },
      { oldStart: 7, oldLines: 1, newStart: 8, newLines: 0, lines: ['-g'] },
    ]);
  });

  it('can include context lines', () => {
    const hunks = computeHunks(original, proposed, { context: 3 });
    assert.equal(hunks.length, 1);
    assert.ok(hunks[0].lines.includes(' b'));
  });

  it('all accepted gives the proposed text, none gives the original', () => {
    const n = computeHunks(original, proposed).length;
    assert.equal(applyHunks(original, proposed, [...Array(n).keys()]), proposed);
    assert.equal(applyHunks(original, proposed, []), original);
  });

  it('applies exactly the accepted hunks', () => {
    assert.equal(applyHunks(original, proposed, [1]), 'a\nb\nc\nd\nnew\ne\nf\ng\n');
    assert.equal(applyHunks(original, proposed, [0, 2]), 'A\nb\nc\nd\ne\nf\n');
  });

  it('every subset of hunks is consistent: accepting one more hunk changes only its lines', () => {
    const n = computeHunks(original, proposed).length;
    for (const s of subsets(n)) {
      const text = applyHunks(original, proposed, s);
      // Re-diffing the partial result against the proposed text leaves exactly the rejected hunks.
      assert.equal(computeHunks(text, proposed).length, n - s.length, JSON.stringify(s));
    }
  });

  it('keeps CRLF line endings of the original', () => {
    const o = 'a\r\nb\r\nc\r\n';
    const p = 'a\r\nB\r\nc\r\nd\r\n';
    const hunks = computeHunks(o, p);
    assert.equal(hunks.length, 2);
    assert.ok(hunks.every((h) => h.lines.every((l) => !l.includes('\r'))));
    assert.equal(applyHunks(o, p, [0, 1]), p);
    assert.equal(applyHunks(o, p, [0]), 'a\r\nB\r\nc\r\n');
    assert.equal(applyHunks(o, p, [1]), 'a\r\nb\r\nc\r\nd\r\n');
  });

  it('handles a missing final newline on either side', () => {
    const o = 'x\ny';
    const p = 'x\ny\nz';
    assert.equal(applyHunks(o, p, computeHunks(o, p).map((_, i) => i)), p);
    assert.equal(applyHunks(o, p, []), o);
    const onlyNewline = computeHunks('x\ny', 'x\ny\n');
    assert.equal(onlyNewline.length, 1);
    assert.equal(applyHunks('x\ny', 'x\ny\n', [0]), 'x\ny\n');
    assert.equal(applyHunks('x\ny', 'x\ny\n', []), 'x\ny');
  });

  it('handles insertion at the top, creation from empty and deleting everything', () => {
    assert.equal(applyHunks('b\n', 'a\nb\n', [0]), 'a\nb\n');
    assert.equal(applyHunks('', 'new\n', [0]), 'new\n');
    assert.equal(applyHunks('gone\n', '', [0]), '');
    assert.deepEqual(computeHunks('same\n', 'same\n'), []);
  });
});
