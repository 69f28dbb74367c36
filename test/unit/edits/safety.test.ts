/**
 * Answers that tempt an edit engine into a silently wrong edit. Each must either produce the right file or be
 * refused — never a plausible-looking wrong file.
 */
import assert from 'node:assert/strict';
import { applyModelEdit } from '../../../src/core/edits/index';

const fence = (lang: string, body: string) => '```' + lang + '\n' + body + '\n```';

const JS = ['function a() {', '  return 1;', '}', '', 'function b() {', '  return 2;', '}', '', 'function c() {', '  if (x) {', '    return x;', '  }', '  return 0;', '}', ''].join('\n');
const STORE = 'export class Store {\n  constructor() {\n    this.items = [];\n  }\n\n  add(item) {\n    this.items.push(item);\n  }\n\n  clear() {\n    this.items = [];\n  }\n}\n';
const PY = 'class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n';

describe('edits: no silent wrong edits', () => {
  it('a rewritten function in the middle does not drop the functions after it', () => {
    const r = applyModelEdit(JS, fence('js', 'function b() {\n  return 20;\n}'));
    assert.ok(r.ok);
    assert.equal(r.text, JS.replace('return 2;', 'return 20;'));
  });

  it('a rewritten first function does not truncate the file', () => {
    const r = applyModelEdit(JS, fence('js', 'function a() {\n  return 10;\n}'));
    assert.ok(r.ok);
    assert.equal(r.text, JS.replace('return 1;', 'return 10;'));
  });

  it('a rewritten Python method replaces its body, not just its first line', () => {
    const r = applyModelEdit(PY, fence('python', '    def g(self):\n        return 3'));
    assert.ok(r.ok);
    assert.equal(r.text, PY.replace('return 2', 'return 3'));
  });

  it('a flush-left Python method is re-indented into its class', () => {
    const r = applyModelEdit(PY, fence('python', 'def g(self):\n    x = 2\n    return x'));
    assert.ok(r.ok);
    assert.equal(r.text, PY.replace('        return 2', '        x = 2\n        return x'));
  });

  it('a new method between elisions does not eat the neighbouring method\u2019s closing lines', () => {
    const r = applyModelEdit(STORE, fence('js', 'export class Store {\n  // ... existing code ...\n\n  size() {\n    return this.items.length;\n  }\n}'));
    assert.ok(r.ok);
    assert.equal(r.text, STORE.replace('    this.items = [];\n  }\n}', '    this.items = [];\n  }\n\n  size() {\n    return this.items.length;\n  }\n}'));
  });

  it('a partial view that silently leaves out a method is refused (deletion or omission?)', () => {
    const r = applyModelEdit(STORE, fence('js', 'export class Store {\n  add(item) {\n    this.items.push(item);\n    return this;\n  }'));
    assert.ok(!r.ok);
    assert.match(r.reason, /partial view/);
  });

  it('a fragment that shares nothing distinctive with the file is refused, even when named', () => {
    const r = applyModelEdit(JS, fence('js', 'function helper() {\n  return 1;\n}'), { path: 'x.js' });
    assert.ok(!r.ok);
    // With the parser, a function of the same name is that function rewritten (before, no line matched: refused).
    const b = applyModelEdit(JS, 'x.js\n' + fence('js', 'function b(k) {\n  return k;\n}'), { path: 'x.js' });
    assert.ok(b.ok);
    assert.equal(b.text, JS.replace('function b() {\n  return 2;', 'function b(k) {\n  return k;'));
  });

  it('a new function whose body repeats another function is not spliced into that function', () => {
    const f = 'function total(items) {\n  const sum = computeTotal(items);\n  return format(sum);\n}\n\nfunction other() {\n  return 0;\n}\n';
    const r = applyModelEdit(f, fence('js', 'function report(items) {\n  const sum = computeTotal(items);\n  return format(sum);\n}'));
    assert.ok(!r.ok || r.text === f || (r.text.includes('function total(items)') && r.text.includes('function report(items)')), r.ok ? r.text : '');
  });

  it('a SEARCH that is misquoted where the edit changes it is refused', () => {
    const r = applyModelEdit(JS, '<<<<<<< SEARCH\nfunction b() {\n  return 7;\n}\n=======\nfunction b() {\n  return 8;\n}\n>>>>>>> REPLACE');
    assert.ok(!r.ok);
  });

  it('a SEARCH duplicated in the file is refused, naming the places', () => {
    const r = applyModelEdit(STORE, '<<<<<<< SEARCH\n    this.items = [];\n=======\n    this.items = new Array();\n>>>>>>> REPLACE');
    assert.ok(!r.ok);
    assert.match(r.reason, /lines 3, 11/);
  });

  it('a diff hunk with duplicated context and no usable line number is refused', () => {
    const r = applyModelEdit('x\n}\n}\ny\n}\n}\n', fence('diff', '@@ ... @@\n }\n-}\n+};'));
    assert.ok(!r.ok);
  });

  it('a new import above a placeholder is added, not swapped for a neighbouring import', () => {
    const f = "import a from 'a';\nimport c from 'c';\n\nrun(a, c);\n";
    const r = applyModelEdit(f, fence('js', "import a from 'a';\nimport b from 'b';\n// ... existing code ..."));
    assert.ok(r.ok);
    assert.equal(r.text, "import a from 'a';\nimport b from 'b';\nimport c from 'c';\n\nrun(a, c);\n");
  });

  it('prose before unfenced code is not written into the file', () => {
    assert.equal(applyModelEdit(JS, 'Here is the corrected function:\nfunction a() {\n  return 5;\n}').ok, false);
  });

  it('a REPLACE missing its end marker inside a chatty answer (cut off) is refused', () => {
    assert.equal(applyModelEdit(JS, 'Sure:\n<<<<<<< SEARCH\n  return 1;\n=======\n  return 100;\n  // and then').ok, false);
  });

  it('an answer still reasoning is refused even if the trace contains a perfect edit', () => {
    assert.equal(applyModelEdit(JS, '<think>\n<<<<<<< SEARCH\n  return 1;\n=======\n  return 100;\n>>>>>>> REPLACE\n').ok, false);
  });
});
