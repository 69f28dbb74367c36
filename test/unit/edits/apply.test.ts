import assert from 'node:assert/strict';
import { applyModelEdit, type ApplyResult } from '../../../src/core/edits/index';

const SR = (search: string, replace: string, name = '') => `${name ? name + '\n' : ''}<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;
const ok = (r: ApplyResult): string => {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.ok(r.confidence > 0 && r.confidence <= 1);
  return r.text;
};
const refused = (r: ApplyResult, why?: RegExp): void => {
  assert.equal(r.ok, false, r.ok ? `applied: ${JSON.stringify(r.text)}` : '');
  if (why && !r.ok) assert.match(r.reason, why);
};

const FILE = 'import os\n\n\ndef load(path):\n    with open(path) as f:\n        return f.read()\n\n\ndef save(path, data):\n    with open(path, "w") as f:\n        f.write(data)\n';

describe('edits: applyModelEdit', () => {
  describe('SEARCH/REPLACE answers', () => {
    it('applies a fenced block with prose around it', () => {
      const r = applyModelEdit(FILE, `I'll make \`load\` strip whitespace.\n\nio.py\n\`\`\`python\n${SR('        return f.read()', '        return f.read().strip()')}\n\`\`\`\n\nThat's it.`, { path: 'io.py' });
      assert.equal(ok(r), FILE.replace('f.read()\n', 'f.read().strip()\n'));
      assert.equal(r.ok && r.format, 'search-replace');
    });

    it('applies an unfenced block without a file name', () => {
      assert.equal(ok(applyModelEdit(FILE, SR('import os', 'import os\nimport sys'))), FILE.replace('import os\n', 'import os\nimport sys\n'));
    });

    it('selects the blocks for options.path when several files are edited', () => {
      const answer = `${SR('a', 'A', 'one.txt')}\n\n${SR('x', 'X', 'two.txt')}\n\n${SR('b', 'B', 'one.txt')}`;
      assert.equal(ok(applyModelEdit('a\nb\n', answer, { path: 'one.txt' })), 'A\nB\n');
      assert.equal(ok(applyModelEdit('x\n', answer, { path: 'two.txt' })), 'X\n');
      refused(applyModelEdit('x\n', answer), /several files/);
      refused(applyModelEdit('z\n', answer, { path: 'three.txt' }), /no SEARCH\/REPLACE block for three\.txt/);
    });

    it('applies out-of-order blocks, each against the text as edited so far', () => {
      assert.equal(ok(applyModelEdit('1\n2\n3\n', `${SR('3', 'three')}\n${SR('1', 'one')}\n${SR('one\n2', 'one\ntwo')}`)), 'one\ntwo\nthree\n');
    });

    it('keeps CRLF line endings and a missing final newline', () => {
      const crlf = 'a = 1\r\nb = 2\r\nc = 3';
      assert.equal(ok(applyModelEdit(crlf, SR('b = 2', 'b = 20\nb2 = 4'))), 'a = 1\r\nb = 20\r\nb2 = 4\r\nc = 3');
      assert.equal(ok(applyModelEdit(crlf, SR('c = 3', 'c = 30'))), 'a = 1\r\nb = 2\r\nc = 30');
    });

    it('reads an answer written with CRLF line endings', () => {
      assert.equal(ok(applyModelEdit('a\nb\n', SR('a', 'A').replace(/\n/g, '\r\n'))), 'A\nb\n');
    });

    it("keeps the file's trailing whitespace on lines the edit does not change", () => {
      assert.equal(ok(applyModelEdit('x = 1   \ny = 2\n', SR('x = 1\ny = 2', 'x = 1\ny = 3'))), 'x = 1   \ny = 3\n');
    });

    it("re-indents the replacement to the file's indentation", () => {
      const r = applyModelEdit(FILE, SR('with open(path) as f:\n    return f.read()', 'with open(path, encoding="utf-8") as f:\n    data = f.read()\n    return data'));
      assert.equal(ok(r), FILE.replace('    with open(path) as f:\n        return f.read()', '    with open(path, encoding="utf-8") as f:\n        data = f.read()\n        return data'));
    });

    it('creates a file from an empty SEARCH, refuses an empty SEARCH on a non-empty file', () => {
      assert.equal(ok(applyModelEdit('', SR('', 'hello'))), 'hello\n');
      refused(applyModelEdit('exists\n', SR('', 'hello')), /empty SEARCH/);
    });

    it('uses a :start_line: hint or the editor range to pick among identical matches', () => {
      const f = 'if a:\n    return 1\nif b:\n    return 1\n';
      refused(applyModelEdit(f, SR('    return 1', '    return 2')), /occurs 2 times/);
      assert.equal(ok(applyModelEdit(f, '<<<<<<< SEARCH\n:start_line:4\n-------\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE')), 'if a:\n    return 1\nif b:\n    return 2\n');
      assert.equal(ok(applyModelEdit(f, SR('    return 1', '    return 2'), { range: { startLine: 1, endLine: 1 } })), 'if a:\n    return 2\nif b:\n    return 1\n');
    });

    it('refuses SEARCH text that is not in the file, or only faintly similar', () => {
      refused(applyModelEdit(FILE, SR('def remove(path):\n    os.remove(path)', 'pass')), /not in the file/);
    });

    it('applies a near-miss SEARCH with a lower confidence', () => {
      const r = applyModelEdit(FILE, SR('def load(path):\n    with open(path) as fh:\n        return f.read()', 'def load(path):\n    with open(path) as f:\n        return f.read().strip()'));
      assert.equal(ok(r), FILE.replace('f.read()\n', 'f.read().strip()\n'));
      assert.ok(r.ok && r.confidence < 0.9);
    });

    it('refuses a path that leaves the workspace', () => {
      refused(applyModelEdit(FILE, SR('import os', 'import sys', '../../etc/profile'), { path: 'io.py' }), /outside the workspace/);
      refused(applyModelEdit(FILE, SR('import os', 'import sys', '/abs/io.py')), /outside the workspace/);
    });

    it('never applies a block that only appears in the reasoning', () => {
      const inThink = `<think>\nMaybe:\n${SR('import os', 'import shutil')}\nNo, better not.\n</think>\nNo change is needed.`;
      refused(applyModelEdit(FILE, inThink));
      const before = `Let me try\n${SR('import os', 'import shutil')}\n</think>\n${SR('import os', 'import pathlib')}`;
      assert.equal(ok(applyModelEdit(FILE, before)), FILE.replace('import os', 'import pathlib'));
      refused(applyModelEdit(FILE, `<think>\n${SR('import os', 'import shutil')}`), /not finished reasoning/);
    });
  });

  describe('unified diff answers', () => {
    it('applies a fenced diff with headers and correct numbers', () => {
      const d = '```diff\n--- a/io.py\n+++ b/io.py\n@@ -1,3 +1,4 @@\n import os\n+import sys\n \n \n```';
      const r = applyModelEdit(FILE, d, { path: 'io.py' });
      assert.equal(ok(r), FILE.replace('import os\n', 'import os\nimport sys\n'));
      assert.equal(r.ok && r.format, 'unified-diff');
    });

    it('applies hunks without headers and with wrong line numbers', () => {
      const d = '@@ -40,2 +40,2 @@\n def save(path, data):\n-    with open(path, "w") as f:\n+    with open(path, "a") as f:';
      assert.equal(ok(applyModelEdit(FILE, d)), FILE.replace('"w"', '"a"'));
    });

    it('refuses a diff for another file and a hunk whose context is missing', () => {
      refused(applyModelEdit(FILE, '--- a/other.py\n+++ b/other.py\n@@ -1 +1 @@\n-import os\n+import re', { path: 'io.py' }), /no changes for io\.py/);
      refused(applyModelEdit(FILE, '@@ -1 +1 @@\n-import json\n+import re'), /could not find matching context/);
    });

    it('creates a file from a /dev/null diff', () => {
      assert.equal(ok(applyModelEdit('', '--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b', { path: 'n.txt' })), 'a\nb\n');
    });
  });

  describe('apply-patch answers', () => {
    it('applies an Update File patch and keeps CRLF', () => {
      const r = applyModelEdit('a\r\nb\r\nc\r\n', '*** Begin Patch\n*** Update File: x.txt\n@@\n a\n-b\n+B\n*** End Patch', { path: 'x.txt' });
      assert.equal(ok(r), 'a\r\nB\r\nc\r\n');
    });
    it('refuses deleting, renaming, re-adding an existing file, or another file', () => {
      refused(applyModelEdit('a\n', '*** Begin Patch\n*** Delete File: x.txt\n*** End Patch', { path: 'x.txt' }), /deletes/);
      refused(applyModelEdit('a\n', '*** Begin Patch\n*** Update File: x.txt\n*** Move to: y.txt\n@@\n-a\n+b\n*** End Patch', { path: 'x.txt' }), /renames/);
      refused(applyModelEdit('a\n', '*** Begin Patch\n*** Add File: x.txt\n+b\n*** End Patch', { path: 'x.txt' }), /already exists/);
      refused(applyModelEdit('a\n', '*** Begin Patch\n*** Update File: y.txt\n@@\n-a\n+b\n*** End Patch', { path: 'x.txt' }), /no patch section/);
    });
  });

  describe('code block answers', () => {
    it('replaces the whole file with a named whole-file block, keeping CRLF and the final-newline state', () => {
      const r = applyModelEdit('one\r\ntwo', 'x.txt\n```\nuno\ntwo\n```', { path: 'x.txt' });
      assert.equal(ok(r), 'uno\r\ntwo');
      assert.equal(r.ok && r.format, 'whole-file');
    });

    it('creates a new file from a code block', () => {
      assert.equal(ok(applyModelEdit('', 'Create it:\n```ts\nexport const a = 1;\n```', { path: 'a.ts' })), 'export const a = 1;\n');
    });

    it('ignores code blocks named for other files and command blocks', () => {
      const answer = '### other.py\n```python\nprint(1)\n```\nRun:\n```bash\npython io.py\n```\n### io.py\n```python\nimport os\n\n\ndef load(path):\n    return open(path).read()\n```';
      const r = applyModelEdit(FILE, answer, { path: 'io.py' });
      assert.ok(r.ok);
    });

    it('refuses when several unnamed blocks could be the edit', () => {
      refused(applyModelEdit(FILE, '```python\nimport os\nimport re\n```\nor\n```python\nimport os\nimport json\n```', { path: 'io.py' }), /2 code blocks/);
    });

    it('refuses a cut-off code block', () => {
      refused(applyModelEdit(FILE, 'Here:\n```python\nimport os\n\ndef load(path):\n', { path: 'io.py' }), /never closed/);
    });

    it('merges "# ... rest unchanged ..." with the original instead of deleting', () => {
      const r = applyModelEdit(FILE, '```python\nimport os\nimport sys\n\n# ... rest unchanged ...\n```', { path: 'io.py' });
      assert.equal(ok(r), FILE.replace('import os\n', 'import os\nimport sys\n'));
    });

    it('places a rewritten function (fragment) where it belongs', () => {
      const r = applyModelEdit(FILE, 'Updated `save`:\n```python\ndef save(path, data):\n    with open(path, "w", encoding="utf-8") as f:\n        f.write(data)\n```', { path: 'io.py' });
      assert.equal(ok(r), FILE.replace('open(path, "w")', 'open(path, "w", encoding="utf-8")'));
    });

    it('refuses prose and example code that share nothing with the file', () => {
      refused(applyModelEdit(FILE, 'You could call it like this:\n```python\nprint(load("x.txt"))\n```', { path: 'io.py' }), /no safe place/);
      refused(applyModelEdit(FILE, 'I think the file is fine as it is.'), /no code block/);
    });
  });

  describe('range rewrites (block format)', () => {
    const src = 'class A {\n  run() {\n    const a = 1;\n    const b = 2;\n    return a + b;\n  }\n}\n';

    it('replaces the selected lines with the single code block', () => {
      const r = applyModelEdit(src, '```ts\n    const a = 10;\n    const b = 20;\n```', { range: { startLine: 2, endLine: 3 } });
      assert.equal(ok(r), src.replace('a = 1;', 'a = 10;').replace('b = 2;', 'b = 20;'));
      assert.equal(r.ok && r.format, 'block');
    });

    it('re-indents a block that came back flush left', () => {
      assert.equal(ok(applyModelEdit(src, '```ts\nconst a = 5;\nconst b = 6;\n```', { range: { startLine: 2, endLine: 3 } })), src.replace('a = 1;', 'a = 5;').replace('b = 2;', 'b = 6;'));
    });

    it('places a block that rewrites the whole enclosing method instead of nesting it', () => {
      const r = applyModelEdit(src, '```ts\n  run() {\n    const a = 1;\n    const b = 3;\n    return a * b;\n  }\n```', { range: { startLine: 3, endLine: 4 } });
      assert.equal(ok(r), src.replace('b = 2;', 'b = 3;').replace('a + b', 'a * b'));
    });

    it('treats a whole-file answer to a range request as the whole file', () => {
      const r = applyModelEdit(src, '```ts\n' + src.replace('b = 2;', 'b = 7;') + '```', { range: { startLine: 3, endLine: 3 } });
      assert.equal(ok(r), src.replace('b = 2;', 'b = 7;'));
      assert.equal(r.ok && r.format, 'whole-file');
    });

    it('merges elisions inside the range', () => {
      const r = applyModelEdit(src, '```ts\n    // ... existing code ...\n    return a - b;\n```', { range: { startLine: 2, endLine: 4 } });
      assert.equal(ok(r), src.replace('a + b', 'a - b'));
    });

    it('refuses a range outside the file', () => {
      refused(applyModelEdit(src, '```ts\nx\n```', { range: { startLine: 5, endLine: 40 } }), /outside the file/);
    });
  });
});
