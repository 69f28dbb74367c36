import assert from 'node:assert/strict';
import { applyIndent, inferIndent } from '../../../src/core/edits/indent';
import { locate, type Located } from '../../../src/core/edits/match';
import { buildReplacement } from '../../../src/core/edits/replace';

const at = (r: Located) => (r.ok ? [r.start, r.end, r.level] : r.reason);

describe('edits: layered matching', () => {
  const file = ['function f() {', '    const a = 1;  ', '    return  a + b;', '}', '', 'const q = \u201chi\u201d;'];

  it('layer 1: exact', () => {
    assert.deepEqual(at(locate(file, ['function f() {'])), [0, 1, 'exact']);
  });
  it('layer 2: trailing whitespace ignored', () => {
    assert.deepEqual(at(locate(file, ['    const a = 1;'])), [1, 2, 'trailing-ws']);
  });
  it('layer 3: indentation ignored', () => {
    assert.deepEqual(at(locate(file, ['const a = 1;', 'return  a + b;'])), [1, 3, 'indentation']);
  });
  it('layer 4: inner whitespace collapsed', () => {
    assert.deepEqual(at(locate(file, ['return a + b;'])), [2, 3, 'whitespace']);
  });
  it('layer 5: whitespace and typographic quotes ignored', () => {
    assert.deepEqual(at(locate(file, ['const q="hi";'])), [5, 6, 'loose']);
  });
  it('retries without leading/trailing blank lines in the SEARCH text', () => {
    const r = locate(['a', 'b', 'c'], ['', 'b', '']);
    assert.ok(r.ok);
    assert.deepEqual([r.start, r.end, r.lead, r.trail], [1, 2, 1, 1]);
  });

  it('refuses several equally good places, naming them', () => {
    const r = locate(['x', 'y', 'x'], ['x']);
    assert.ok(!r.ok && r.ambiguous);
    assert.match(r.reason, /occurs 2 times \(lines 1, 3\)/);
  });
  it('the strictest layer decides ambiguity (a unique exact match beats loose duplicates)', () => {
    assert.deepEqual(at(locate(['  x', 'x', '    x'], ['x'])), [1, 2, 'exact']);
  });
  it('a line hint picks the nearest of several matches, within a window', () => {
    const f = ['a', 'r', 'b', 'r', 'c', 'r'];
    assert.deepEqual(at(locate(f, ['r'], { hint: 3 })), [3, 4, 'exact']);
    assert.equal(locate(f, ['r'], { hint: 2 }).ok, false); // equidistant from 1 and 3
    assert.equal(locate(['r', ...Array<string>(40).fill('.'), 'r'], ['r'], { hint: 20 }).ok, false); // too far from both
  });
  it('`from` prefers matches after a cursor, `atEnd` wants the last lines', () => {
    assert.deepEqual(at(locate(['r', 'x', 'r'], ['r'], { from: 1 })), [2, 3, 'exact']);
    assert.deepEqual(at(locate(['r', 'x', 'r'], ['r'], { atEnd: true })), [2, 3, 'exact']);
  });

  describe('layer 6: anchored similarity', () => {
    const fn = ['function getData() {', '    const results = fetchData();', '    return results.filter(Boolean);', '}'];
    it('accepts a near-miss anchored by its first/last lines, with a lower score', () => {
      const r = locate(fn, ['function getData() {', '    const result = fetchData();', '    return results.filter(Boolean);', '}']);
      assert.ok(r.ok);
      assert.equal(r.level, 'similar');
      assert.ok(r.score < 0.9 && r.score > 0.5);
    });
    it('refuses text that is too different (below the threshold)', () => {
      const r = locate(fn, ['function getData() {', '    const x = somethingElse(1, 2, 3);', '    return x.map(String).join(", ");', '}']);
      assert.ok(!r.ok);
      assert.match(r.reason, /not in the file/);
    });
    it('refuses when two places are about as similar', () => {
      const two = [...fn, '', ...fn];
      const r = locate(two, ['function getData() {', '    const result = fetchData();', '    return results.filter(Boolean);', '}']);
      assert.ok(!r.ok && r.ambiguous);
    });
    it('never fuzzes a single line', () => {
      assert.equal(locate(fn, ['    const result = fetchData();']).ok, false);
    });
  });
});

describe('edits: replacement (three-way onto the file)', () => {
  it('re-indents added lines to the file and keeps unchanged lines verbatim', () => {
    const r = buildReplacement(['    if (x) {  ', '        go();', '    }'], ['if (x) {', '    go();', '}'], ['if (x) {', '    go();', '    stop();', '}']);
    assert.ok(r.ok);
    assert.deepEqual(r.lines, ['    if (x) {  ', '        go();', '        stop();', '    }']);
  });
  it('keeps the file\u2019s version of a context line the model misquoted', () => {
    const r = buildReplacement(['a()', 'b_real()', 'c()', 'd()'], ['a()', 'b_wrong()', 'c()', 'd()'], ['a()', 'b_wrong()', 'c2()', 'd()']);
    assert.ok(r.ok);
    assert.deepEqual(r.lines, ['a()', 'b_real()', 'c2()', 'd()']);
  });
  it('refuses when the edit changes a line the model misquoted beyond a typo', () => {
    const r = buildReplacement(['f() {', '  log("hello")', '}'], ['f() {', '  log("wrong")', '}'], ['f() {', '  log("hello world")', '}']);
    assert.ok(!r.ok);
    assert.match(r.reason, /quoted wrongly/);
  });
  it('accepts a change to a line misquoted by a typo', () => {
    const r = buildReplacement(['const results = get();', 'use(results);'], ['const result = get();', 'use(results);'], ['const data = get();', 'use(data);']);
    assert.ok(r.ok);
    assert.deepEqual(r.lines, ['const data = get();', 'use(data);']);
  });
  it('merges "... existing code ..." in a replacement with the matched lines', () => {
    const r = buildReplacement(['def f(a):', '    x = 1', '    y = 2', '    return x'], ['def f(a):', '    x = 1', '    y = 2', '    return x'], ['def f(a, b):', '    # ... existing code ...', '    return x + b']);
    assert.ok(r.ok);
    assert.deepEqual(r.lines, ['def f(a, b):', '    x = 1', '    y = 2', '    return x + b']);
  });
});

describe('edits: indentation inference', () => {
  it('adds a common prefix', () => {
    const { transform } = inferIndent([['a', '    a'], ['  b', '      b']]);
    assert.deepEqual(transform, { kind: 'add', prefix: '    ' });
    assert.equal(applyIndent('  c', transform), '      c');
    assert.equal(applyIndent('', transform), '');
  });
  it('removes a common prefix', () => {
    const { transform } = inferIndent([['        a', '    a']]);
    assert.deepEqual(transform, { kind: 'remove', prefix: '    ' });
    assert.equal(applyIndent('      b', transform), '  b');
  });
  it('maps spaces to tabs (and back)', () => {
    const { transform } = inferIndent([['    a', '\ta'], ['        b', '\t\tb']]);
    assert.equal(transform.kind, 'retab');
    assert.equal(applyIndent('            c', transform), '\t\t\tc');
    const back = inferIndent([['\ta', '  a']]).transform;
    assert.equal(applyIndent('\t\tc', back), '    c');
  });
  it('ignores a one-space difference on a file indented by a single space (stray whitespace, not structure)', () => {
    assert.deepEqual(inferIndent([['line2', ' line2 ']]).transform, { kind: 'none' });
  });
  it('reports inconsistent pairs and leaves lines alone', () => {
    const r = inferIndent([['  a', '\ta'], ['\t b', '\tb'], ['   c', '\t\tc']]);
    assert.equal(r.inconsistent, true);
    assert.deepEqual(r.transform, { kind: 'none' });
  });
});
