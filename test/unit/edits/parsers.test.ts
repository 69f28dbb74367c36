import assert from 'node:assert/strict';
import { parseApplyPatch, looksLikeApplyPatch } from '../../../src/core/edits/parse-apply-patch';
import { isShellish, scanFences } from '../../../src/core/edits/parse-fenced';
import { hasSearchReplaceMarkers, parseSearchReplace, stripLineNumbers } from '../../../src/core/edits/parse-search-replace';
import { looksLikeUnifiedDiff, parseUnifiedDiff } from '../../../src/core/edits/parse-unified-diff';
import { escapesWorkspace, filenameFromInfo, filenameFromLine, samePath } from '../../../src/core/edits/paths';

const L = (s: string) => s.split('\n');

describe('edits: SEARCH/REPLACE parser', () => {
  it('parses a fenced Aider block with the file name before the fence', () => {
    const p = parseSearchReplace(L('Do this:\n\nsrc/a.py\n```python\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n```\nDone.'));
    assert.ok(p.ok);
    assert.deepEqual(p.blocks, [{ path: 'src/a.py', search: ['old'], replace: ['new'], terminated: true }]);
  });

  it('takes the file name from inside the fence and from the info string', () => {
    const a = parseSearchReplace(L('```python\na.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```'));
    const b = parseSearchReplace(L('```python b.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```'));
    assert.ok(a.ok && b.ok);
    assert.equal(a.blocks[0].path, 'a.py');
    assert.equal(b.blocks[0].path, 'b.py');
  });

  it('keeps blocks without a file name, and inherits the previous name', () => {
    const p = parseSearchReplace(L('<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\nx.ts\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n\n<<<<<<< SEARCH\ne\n=======\nf\n>>>>>>> REPLACE'));
    assert.ok(p.ok);
    assert.deepEqual(p.blocks.map((b) => b.path), [undefined, 'x.ts', 'x.ts']);
  });

  it('reads several files, empty sections, blank lines and trailing whitespace verbatim', () => {
    const p = parseSearchReplace(L('a.txt\n<<<<<<< SEARCH\n=======\nnew  \n\n>>>>>>> REPLACE\nb.txt\n<<<<<<< SEARCH\n\nbody\n\n=======\n>>>>>>> REPLACE'));
    assert.ok(p.ok);
    assert.deepEqual(p.blocks.map((b) => [b.path, b.search, b.replace]), [
      ['a.txt', [], ['new  ', '']],
      ['b.txt', ['', 'body', ''], []],
    ]);
  });

  it('accepts Cline markers of any length ≥ 3 dashes / 5 equals, and the legacy ones', () => {
    const p = parseSearchReplace(L('----------- SEARCH\na\n==========\nb\n+++++++ REPLACE\n----- SEARCH\nc\n=====\nd\n+++ REPLACE'));
    assert.ok(p.ok);
    assert.equal(p.blocks.length, 2);
  });

  it('reads Roo :start_line: / :end_line: hints and skips their ------- line', () => {
    const p = parseSearchReplace(L('<<<<<<< SEARCH\n:start_line:12\n:end_line:13\n-------\na\nb\n=======\nc\n>>>>>>> REPLACE'));
    assert.ok(p.ok);
    assert.deepEqual(p.blocks[0], { path: undefined, search: ['a', 'b'], replace: ['c'], startLine: 12, endLine: 13, terminated: true });
  });

  it('unescapes escaped markers inside content', () => {
    const p = parseSearchReplace(L('<<<<<<< SEARCH\n\\=======\n=======\nx\n>>>>>>> REPLACE'));
    assert.ok(p.ok);
    assert.deepEqual(p.blocks[0].search, ['=======']);
  });

  it('tolerates a missing final marker only in a bare block', () => {
    const bare = parseSearchReplace(L('------- SEARCH\na\n=======\nb\n'));
    assert.ok(bare.ok);
    assert.deepEqual(bare.blocks[0], { path: undefined, search: ['a'], replace: ['b'], terminated: false });
    const chatty = parseSearchReplace(L('Here is the fix:\n\n```\n<<<<<<< SEARCH\na\n=======\nb\n'));
    assert.ok(!chatty.ok);
    assert.match(chatty.reason, /never closed/);
  });

  for (const [name, text] of [
    ['too few dashes', '-- SEARCH\na\n=======\nb\n+++++++ REPLACE'],
    ['no space before SEARCH', '-------SEARCH\na\n=======\nb\n+++++++ REPLACE'],
    ['separator with trailing space', '------- SEARCH\na\n======= \nb\n+++++++ REPLACE'],
    ['missing separator', '------- SEARCH\na\n+++++++ REPLACE\nb'],
    ['second separator', '<<<<<<< SEARCH\na\n=======\nb\n=======\nc\n>>>>>>> REPLACE'],
    ['unfinished SEARCH', '<<<<<<< SEARCH\na\n'],
  ] as const) {
    it(`refuses a malformed block: ${name}`, () => {
      assert.ok(hasSearchReplaceMarkers(text));
      assert.equal(parseSearchReplace(L(text)).ok, false);
    });
  }

  it('strips Roo line-number prefixes only when every line has one', () => {
    assert.deepEqual(stripLineNumbers(['1 | a', '2 |     b', '']), ['a', '    b', '']);
    assert.equal(stripLineNumbers(['1 | a', 'b']), undefined);
  });
});

describe('edits: unified diff parser', () => {
  it('parses headers, numbered hunks and strips a/ b/ prefixes', () => {
    const p = parseUnifiedDiff(L('diff --git a/x.ts b/x.ts\nindex 1..2\n--- a/x.ts\n+++ b/x.ts\n@@ -3,2 +3,2 @@ fn\n ctx\n-old\n+new'));
    assert.ok(p.ok);
    assert.deepEqual(p.files, [{ oldPath: 'x.ts', newPath: 'x.ts', hunks: [{ oldStart: 3, oldCount: 2, lines: [{ op: ' ', text: 'ctx' }, { op: '-', text: 'old' }, { op: '+', text: 'new' }] }] }]);
  });

  it('parses header-less and number-less hunks, blank context lines, and drops prose after the diff', () => {
    const p = parseUnifiedDiff(L('@@ ... @@\n a\n\n-b\n+c\n\nThis renames b.'));
    assert.ok(p.ok);
    assert.deepEqual(p.files[0].hunks[0].lines.map((l) => l.op + l.text), [' a', ' ', '-b', '+c']);
    assert.equal(p.files[0].hunks[0].oldStart, undefined);
  });

  it('separates files and reads /dev/null as no path', () => {
    const p = parseUnifiedDiff(L('--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n--- a/o.txt\n+++ b/o.txt\n@@ -1 +1 @@\n-x\n+y'));
    assert.ok(p.ok);
    assert.deepEqual(p.files.map((f) => [f.oldPath, f.newPath]), [[undefined, 'new.txt'], ['o.txt', 'o.txt']]);
  });

  it('detects diffs and rejects one without changes', () => {
    assert.ok(looksLikeUnifiedDiff(L('--- a\n+++ b')));
    assert.ok(!looksLikeUnifiedDiff(L('just\ntext')));
    assert.equal(parseUnifiedDiff(L('@@ -1 +1 @@\n same')).ok, false);
  });
});

describe('edits: apply-patch parser', () => {
  it('parses sentinels, an update with two chunks, anchors and End of File', () => {
    const p = parseApplyPatch(L('*** Begin Patch\n*** Update File: a.txt\n@@ def f():\n-x\n+y\n@@\n z\n+w\n*** End of File\n*** End Patch'));
    assert.ok(p.ok);
    assert.deepEqual(p.ops, [
      { kind: 'update', path: 'a.txt', chunks: [
        { anchor: 'def f():', lines: [{ op: '-', text: 'x' }, { op: '+', text: 'y' }], eof: false },
        { anchor: undefined, lines: [{ op: ' ', text: 'z' }, { op: '+', text: 'w' }], eof: true },
      ] },
    ]);
  });

  it('ignores a shell wrapper, allows indented headers and a padded end sentinel', () => {
    const p = parseApplyPatch(L('%%bash\napply_patch <<"EOF"\n*** Begin Patch\n  *** Add File: n.txt\n+hello\n*** End Patch   \nEOF'));
    assert.ok(p.ok);
    assert.deepEqual(p.ops, [{ kind: 'add', path: 'n.txt', lines: ['hello'] }]);
  });

  it('reads a freeform patch (no sentinels) up to the first foreign line', () => {
    const p = parseApplyPatch(L('```\n*** Update File: n.txt\n@@\n a\n+b\n```\nthanks'));
    assert.ok(p.ok);
    assert.equal(p.ops.length, 1);
    assert.ok(looksLikeApplyPatch(L('*** Delete File: x')));
  });

  it('refuses incomplete sentinels and stray lines inside sentinels', () => {
    assert.match((parseApplyPatch(L('*** Begin Patch\n*** Add File: n.txt\n+hello')) as { reason: string }).reason, /incomplete sentinels/);
    assert.equal(parseApplyPatch(L('*** Begin Patch\n*** Update File: a\n@@\nwhat is this\n*** End Patch')).ok, false);
  });
});

describe('edits: fenced blocks and file names', () => {
  it('names blocks from the info string, the line before, a header, or prose', () => {
    const blocks = scanFences(L('```ts src/a.ts\nA\n```\nb.ts\n```\nB\n```\n### c.ts\n```\nC\n```\nNow `d.ts`:\n\n```\nD\n```\n```\nE\n```'));
    assert.deepEqual(blocks.map((b) => [b.name, b.nameSource, b.lines.join()]), [
      ['src/a.ts', 'info', 'A'],
      ['b.ts', 'line', 'B'],
      ['c.ts', 'line', 'C'],
      ['d.ts', 'prose', 'D'],
      [undefined, undefined, 'E'],
    ]);
  });

  it('lets a longer fence hold shorter ones, and marks unclosed fences', () => {
    const [a, b] = scanFences(L('````md\n```\nx\n```\n````\n```\ncut off'));
    assert.deepEqual(a.lines, ['```', 'x', '```']);
    assert.equal(b.close, -1);
  });

  it('removes the fence indentation from content', () => {
    assert.deepEqual(scanFences(L('1. step\n   ```\n   x\n     y\n   ```'))[0].lines, ['x', '  y']);
  });

  it('recognises command blocks', () => {
    const [sh, js] = scanFences(L('```bash\nnpm test\n```\n```js\nx\n```'));
    assert.ok(isShellish(sh, 'a.ts'));
    assert.ok(!isShellish(sh, 'run.sh'));
    assert.ok(!isShellish(js, 'a.ts'));
  });

  it('path helpers', () => {
    assert.ok(samePath('path/to/sample.txt', 'sample.txt'));
    assert.ok(samePath('./src/a.ts', 'src/a.ts'));
    assert.ok(!samePath('src/b/a.ts', 'src/c/a.ts'));
    for (const p of ['/etc/passwd', '../x', 'a/../../b', 'C:\\x', '~/.ssh']) assert.ok(escapesWorkspace(p), p);
    assert.ok(!escapesWorkspace('src/a..b.ts'));
    assert.equal(filenameFromLine('**src/app.py**'), 'src/app.py');
    assert.equal(filenameFromLine('Here is the code:'), undefined);
    assert.equal(filenameFromInfo('1:5:src/a.ts'), 'src/a.ts');
    assert.equal(filenameFromInfo('python'), undefined);
  });
});
