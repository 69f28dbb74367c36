/** The syntax layer (tree-sitter declarations) and the gate every result passes (invariants a and b, JSON, YAML). */
import assert from 'node:assert/strict';
import { applyModelEdit } from '../../../src/core/edits/index';
import { checkResult } from '../../../src/core/edits/invariants';
import { declarations, flatten } from '../../../src/core/edits/syntax/declarations';
import { langForPath } from '../../../src/core/edits/syntax/languages';
import { parseText } from '../../../src/core/edits/syntax/runtime';
import { toDoc } from '../../../src/core/edits/text';
import { loadTestSyntax } from '../../support/syntax';

function declsOf(path: string, text: string): string[] {
  const lang = langForPath(path);
  assert.ok(lang);
  const lines = text.split('\n');
  const tree = parseText(lang, lines.join('\n'));
  assert.ok(tree, 'parsed');
  return flatten(declarations(tree, lines, lang)).map((d) => `${d.kind} ${d.container ? `${d.container}.` : ''}${d.name} ${d.start + 1}-${d.core + 1}-${d.end + 1}`);
}

describe('edits: syntax layer', () => {
  before(() => loadTestSyntax());

  it('TypeScript: classes, decorated methods with doc comments, exported arrow functions, interfaces', () => {
    const src = ['/** A. */', '@Injectable()', 'export class A {', '  /** Foo. */', '  @Log()', '  foo(x: number): number {', '    return x;', '  }', '  bar = 1;', '}', '', 'export const f = (a: string) => a;', 'interface I {', '  m(): void;', '}'].join('\n');
    assert.deepEqual(declsOf('a.ts', src), ['type A 1-3-10', 'fn A.foo 4-6-8', 'field A.bar 9-9-9', 'fn f 12-12-12', 'type I 13-13-15', 'fn I.m 14-14-14']);
  });

  it('Python: decorated definitions and methods; Go: receivers; Rust: impl blocks', () => {
    assert.deepEqual(declsOf('a.py', ['@dec', 'def f(x):', '    return x', '', 'class K:', '    def g(self):', '        pass'].join('\n')), ['fn f 1-2-3', 'type K 5-5-7', 'fn K.g 6-6-7']);
    assert.deepEqual(declsOf('a.go', ['package main', '', '// Get gets.', 'func (s *Store) Get(k string) int {', '\treturn 0', '}'].join('\n')), ['fn Store.Get 3-4-6']);
    assert.deepEqual(declsOf('a.rs', ['impl fmt::Display for P {', '    fn fmt(&self) {}', '}', 'impl P {', '    /// New.', '    #[inline]', '    fn new() -> Self { P }', '}'].join('\n')), [
      'impl impl fmt::Display for P 1-1-3',
      'fn impl fmt::Display for P.fmt 2-2-2',
      'impl impl P 4-4-8',
      'fn impl P.new 5-7-7',
    ]);
  });

  it('Java and C#: annotations / attributes belong to the method; overloads keep their parameters', () => {
    assert.deepEqual(declsOf('A.java', ['class A {', '  @Override', '  public int f(int a) { return a; }', '  int f(String s) { return 0; }', '}'].join('\n')), ['type A 1-1-5', 'fn A.f 2-3-3', 'fn A.f 4-4-4']);
    assert.deepEqual(declsOf('A.cs', ['namespace N {', '  class C {', '    [HttpGet]', '    public int Get() { return 1; }', '  }', '}'].join('\n')), ['ns N 1-1-6', 'type N.C 2-2-5', 'fn N.C.Get 3-4-4']);
  });
});

describe('edits: syntax gate', () => {
  before(() => loadTestSyntax());
  const ts = ['export function a(x: number) {', '  return x + 1;', '}', '', 'export function b() {', '  return 2;', '}', ''].join('\n');

  it('(a) refuses a result with a new syntax error, naming the line and declaration', () => {
    const r = applyModelEdit(ts, 'a.ts\n```\n<<<<<<< SEARCH\n  return 2;\n}\n=======\n  return 3;\n>>>>>>> REPLACE\n```', { path: 'a.ts' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /would not parse: .* at line \d+ in b/);
    // The same edit that keeps the brace applies.
    const ok = applyModelEdit(ts, 'a.ts\n```\n<<<<<<< SEARCH\n  return 2;\n=======\n  return 3;\n>>>>>>> REPLACE\n```', { path: 'a.ts' });
    assert.ok(ok.ok && ok.text.includes('return 3;'));
  });

  it('(a) counts only errors the original did not already have there', () => {
    const broken = ['def a(:', '    pass', '', 'def b():', '    return 2', ''].join('\n');
    const r = applyModelEdit(broken, 'a.py\n```\n<<<<<<< SEARCH\n    return 2\n=======\n    return 3\n>>>>>>> REPLACE\n```', { path: 'a.py' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
  });

  it('(a) is checked per change: fixing one broken function does not pay for breaking another', () => {
    const broken = ['function a() {', '  return (1;', '}', '', 'function b() {', '  return 2;', '}', ''].join('\n');
    const answer = ['a.ts', '```', '<<<<<<< SEARCH', '  return (1;', '=======', '  return (1);', '>>>>>>> REPLACE', '```', '', 'a.ts', '```', '<<<<<<< SEARCH', '  return 2;', '=======', '  return [2;', '>>>>>>> REPLACE', '```'].join('\n');
    const r = applyModelEdit(broken, answer, { path: 'a.ts' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /in b\b/);
  });

  it('(a) a Python line left unbalanced is refused', () => {
    const py = ['def a(x):', '    y = x + 1', '    return y', ''].join('\n');
    const r = applyModelEdit(py, 'a.py\n```\n<<<<<<< SEARCH\n    y = x + 1\n=======\n    y = (x + 2\n>>>>>>> REPLACE\n```', { path: 'a.py' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /would not parse: .* in a/);
  });

  it('(a) Python: a line indented out of its block is refused (tree-sitter-python tolerates it; the gate does not)', () => {
    const py = ['def a(x):', '    y = x + 1', '    return y', '', 'def b():', '    return 2', ''].join('\n');
    const r = applyModelEdit(py, 'a.py\n```\n<<<<<<< SEARCH\n    y = x + 1\n=======\n  y = x + 2\n>>>>>>> REPLACE\n```', { path: 'a.py' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /bad indentation of "return y" at line 3 in a/);
    const ok = applyModelEdit(py, 'a.py\n```\n<<<<<<< SEARCH\n    y = x + 1\n=======\n    if x:\n        y = x + 2\n    else:\n        y = 0\n>>>>>>> REPLACE\n```', { path: 'a.py' });
    assert.ok(ok.ok, ok.ok ? '' : ok.reason);
  });

  it('(b) a placed code block may not make a declaration disappear; a whole-file rewrite warns; a SEARCH/REPLACE may', () => {
    const before = toDoc(ts);
    const after = toDoc(['export function a(x: number) {', '  return x + 1;', '}', ''].join('\n'));
    const placed = checkResult({ path: 'a.ts', before, after, format: 'block', wholeRewrite: false });
    assert.equal(placed.ok, false);
    assert.match(placed.ok ? '' : placed.reason, /delete `b` \(line 5\)/);
    const whole = checkResult({ path: 'a.ts', before, after, format: 'whole-file', wholeRewrite: true });
    assert.ok(whole.ok && /no longer has `b` \(line 5\)/.test(whole.warnings.join()));
    assert.ok(checkResult({ path: 'a.ts', before, after, format: 'search-replace', wholeRewrite: false }).ok);
  });

  it('(b) a whole file that drops a function applies with a warning naming it', () => {
    const three = `${ts}\nexport function c() {\n  return 3;\n}\n`;
    const r = applyModelEdit(three, '```ts\nexport function a(x: number) {\n  return x + 5;\n}\n\nexport function c() {\n  return 3;\n}\n```', { path: 'a.ts' });
    assert.ok(r.ok && r.warnings.some((w) => w.includes('`b` (line 5)')), JSON.stringify(r));
  });

  it('a fragment placed by lines in a file no parser checks (no grammar shipped: Ruby) is never offered as preferred', () => {
    const rb = ['def a', '  1', 'end', '', 'def b', '  2', 'end', ''].join('\n');
    const r = applyModelEdit(rb, '```ruby\ndef b\n  3\nend\n```', { path: 'x.rb' });
    assert.ok(r.ok && r.text.includes('  3') && r.confidence < 0.8, JSON.stringify(r));
  });

  it('JSON results must parse (JSONC files are not held to it); YAML confidence stays below the preferred threshold', () => {
    const json = '{\n  "a": 1,\n  "b": 2\n}\n';
    const bad = applyModelEdit(json, 'x.json\n```\n<<<<<<< SEARCH\n  "b": 2\n=======\n  "b": 2,\n>>>>>>> REPLACE\n```', { path: 'x.json' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /not valid JSON/);
    const jsonc = '{\n  // c\n  "a": 1\n}\n';
    assert.ok(applyModelEdit(jsonc, 'x.json\n```\n<<<<<<< SEARCH\n  "a": 1\n=======\n  "a": 2,\n>>>>>>> REPLACE\n```', { path: 'x.json' }).ok);
    const yaml = 'a: 1\nb: 2\n';
    const y = applyModelEdit(yaml, 'x.yaml\n```\n<<<<<<< SEARCH\nb: 2\n=======\nb: 3\n>>>>>>> REPLACE\n```', { path: 'x.yaml' });
    assert.ok(y.ok && y.confidence < 0.8);
  });
});
