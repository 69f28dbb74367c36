/**
 * Answer shapes the held-out set showed the engine mishandling, each with a small example of its own (not copied from
 * test/fixtures/edits-holdout): separate import blocks, import order, re-indentation, elision comments, usage lines.
 */
import assert from 'node:assert/strict';
import { applyModelEdit } from '../../../src/core/edits/index';
import { loadTestSyntax } from '../../support/syntax';

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;

function applied(original: string, answer: string, path: string): string {
  const r = applyModelEdit(original, answer, { path });
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.text;
}

describe('edits: answer shapes (imports, indentation, elisions, usage lines)', () => {
  before(() => loadTestSyntax());

  describe('a separate block of imports', () => {
    it('Python: the import block extends the existing `from … import` line and the function block replaces its counterpart', () => {
      const file = ['import json', 'from os import path', '', '', 'def config_file():', '    return path.join("etc", "app.json")', ''].join('\n');
      const answer = [
        'You need `getenv` as well:', '', fence('python', 'from os import path, getenv'), '', 'Then:', '',
        fence('python', 'def config_file():\n    return path.join(getenv("APP_HOME", "etc"), "app.json")'),
      ].join('\n');
      assert.equal(applied(file, answer, 'app/config.py'), file.replace('from os import path', 'from os import path, getenv').replace('path.join("etc"', 'path.join(getenv("APP_HOME", "etc")'));
    });

    it('Java: a new import goes to its sorted place among the file\'s sorted imports', () => {
      const file = [
        'package shop;', '', 'import java.util.HashMap;', 'import java.util.List;', 'import java.util.Set;', '',
        'public class Cart {', '    private final List<String> items = List.of();', '', '    public int size() {', '        return items.size();', '    }', '}', '',
      ].join('\n');
      const answer = [
        fence('java', 'import java.util.Map;'), '', 'and', '',
        fence('java', '    public int size() {\n        Map<String, Integer> seen = new HashMap<>();\n        return items.size();\n    }'),
      ].join('\n');
      const want = file.replace('import java.util.List;\n', 'import java.util.List;\nimport java.util.Map;\n').replace('        return items.size();', '        Map<String, Integer> seen = new HashMap<>();\n        return items.size();');
      assert.equal(applied(file, answer, 'src/shop/Cart.java'), want);
    });

    it('Go: a new spec in the answer\'s import group goes where the answer puts it, not at the end of the group', () => {
      const file = ['package web', '', 'import (', '\t"net/http"', '\t"os"', '\t"time"', ')', '', 'func Port() string {', '\treturn os.Getenv("PORT")', '}', ''].join('\n');
      const answer = fence('go', 'import (\n\t"net/http"\n\t"os"\n\t"strconv"\n\t"time"\n)\n\nfunc Port() string {\n\tif p, err := strconv.Atoi(os.Getenv("PORT")); err == nil {\n\t\treturn strconv.Itoa(p)\n\t}\n\treturn "8080"\n}');
      const out = applied(file, answer, 'web/port.go');
      assert.equal(out.split('\n').slice(2, 8).join('\n'), 'import (\n\t"net/http"\n\t"os"\n\t"strconv"\n\t"time"\n)');
    });
    it('no grammar for the file (Kotlin): the separate import block is not dropped silently, the result says to add it', () => {
      const file = ['package app', '', 'import java.io.File', '', 'fun size(p: String): Long {', '    return File(p).length()', '}', ''].join('\n');
      const answer = 'Add the import:\n\n' + fence('kotlin', 'import java.nio.file.Files') + '\n\nthen\n\n' + fence('kotlin', 'fun size(p: String): Long {\n    return Files.size(File(p).toPath())\n}');
      const r = applyModelEdit(file, answer, { path: 'app/Size.kt' });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.match(r.warnings.join('\n'), /import block was not applied.*import java\.nio\.file\.Files/);
    });
  });

  describe('re-indentation by the file\'s own indent unit', () => {
    it('Python: a method written at column 0 with a 2-space body lands at 4 with an 8-space body in a 4-space file', () => {
      const file = ['class Counter:', '    def __init__(self):', '        self.n = 0', '', '    def bump(self):', '        self.n += 1', '        return self.n', ''].join('\n');
      const answer = fence('python', 'def bump(self, by=1):\n  if by < 0:\n    raise ValueError("by")\n  self.n += by\n  return self.n');
      assert.equal(applied(file, answer, 'counter.py'), file.replace('    def bump(self):\n        self.n += 1', '    def bump(self, by=1):\n        if by < 0:\n            raise ValueError("by")\n        self.n += by'));
    });

    it('SEARCH/REPLACE written with 2-space indentation for a 4-space file: the new nested lines follow the file\'s unit', () => {
      const file = ['class Stack {', '    pop() {', '        return this.items.pop();', '    }', '}', ''].join('\n');
      const answer = ['```js', '<<<<<<< SEARCH', '  pop() {', '    return this.items.pop();', '  }', '=======', '  pop() {', '    if (this.items.length === 0) {', '      throw new Error("empty");', '    }', '    return this.items.pop();', '  }', '>>>>>>> REPLACE', '```'].join('\n');
      assert.equal(applied(file, answer, 'stack.js'), file.replace('    pop() {\n', '    pop() {\n        if (this.items.length === 0) {\n            throw new Error("empty");\n        }\n'));
    });
  });

  it('a whole class restated with a new member is taken as written (its blank lines and order), not merged member by member', () => {
    const file = ['namespace Shop', '{', '    public class Basket', '    {', '        public int Count { get; set; }', '        public decimal Total { get; set; }', '        public bool Empty => Count == 0;', '    }', '', '    public class Till', '    {', '        public int Open { get; set; }', '    }', '}', ''].join('\n');
    const answer = fence('csharp', [
      '    public class Basket', '    {', '        public int Count { get; set; }', '        private decimal _total;', '',
      '        public decimal Total', '        {', '            get => _total;', '            set => _total = Math.Max(0, value);', '        }', '',
      '        public bool Empty => Count == 0;', '    }',
    ].join('\n'));
    assert.equal(applied(file, answer, 'Shop/Basket.cs'), file.replace('        public decimal Total { get; set; }\n', [
      '        private decimal _total;', '', '        public decimal Total', '        {', '            get => _total;', '            set => _total = Math.Max(0, value);', '        }', '', '',
    ].join('\n')));
  });

  it('C#: a one-line expression-bodied member (which also parses as a top-level local function) replaces its counterpart by name', () => {
    const file = ['namespace Geo', '{', '    public class Point', '    {', '        public int X { get; }', '        public int Y { get; }', '        public override string ToString() => $"({X}, {Y})";', '    }', '}', ''].join('\n');
    const answer = 'Use a semicolon:\n\n' + fence('csharp', '        public override string ToString() => $"{X};{Y}";');
    assert.equal(applied(file, answer, 'Geo/Point.cs'), file.replace('$"({X}, {Y})"', '$"{X};{Y}"'));
  });

  it('`// rest unchanged` and `// ...` are placeholders: a lazy class keeps everything they stand for', () => {
    const file = ['export class Queue {', '  private items: string[] = [];', '', '  push(x: string): void {', '    this.items.push(x);', '  }', '', '  size(): number {', '    return this.items.length;', '  }', '}', ''].join('\n');
    const answer = fence('ts', 'export class Queue {\n  // ...\n\n  push(x: string): void {\n    if (x) this.items.push(x);\n  }\n\n  // rest unchanged\n}');
    assert.equal(applied(file, answer, 'queue.ts'), file.replace('    this.items.push(x);', '    if (x) this.items.push(x);'));
  });

  it('example usage after the declaration in the same block (a comment and a call of it) is left out, with a warning', () => {
    const file = ['import re', '', '', 'def slugify(text):', '    return text.lower().replace(" ", "-")', '', '', 'def title(text):', '    return text.title()', ''].join('\n');
    const answer = fence('python', 'def slugify(text):\n    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")\n\n\n# Usage\nprint(slugify("Hello, World"))  # hello-world');
    const r = applyModelEdit(file, answer, { path: 'text.py' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.text, file.replace('    return text.lower().replace(" ", "-")', '    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")'));
    assert.match(r.warnings.join('\n'), /print\(slugify\("Hello, World"\)\).*example usage/);
  });
  describe('more than one edit for the file in the answer', () => {
    it('Python: `from … import` at the margin above a method indented as in its class: the import joins the imports, the method replaces its counterpart', () => {
      const file = ['import os', '', '', 'class Store:', '    def path(self, name):', '        return os.path.join("data", name)', '', '    def size(self):', '        return 0', ''].join('\n');
      const answer = 'Use pathlib:\n\n' + fence('python', 'from pathlib import Path\n\n    def path(self, name):\n        return str(Path("data") / name)');
      const want = file.replace('import os\n', 'import os\nfrom pathlib import Path\n').replace('return os.path.join("data", name)', 'return str(Path("data") / name)');
      assert.equal(applied(file, answer, 'app/store.py'), want);
    });

    it('Java: `import` at the margin above an indented method: the import goes after the file\'s imports, not into the class', () => {
      const file = ['package app;', '', 'import java.util.List;', '', 'public class Names {', '    public String first(List<String> xs) {', '        return xs.get(0);', '    }', '}', ''].join('\n');
      const answer = fence('java', 'import java.util.Objects;\n\n    public String first(List<String> xs) {\n        return Objects.requireNonNull(xs.get(0));\n    }');
      const want = file.replace('import java.util.List;\n', 'import java.util.List;\nimport java.util.Objects;\n').replace('return xs.get(0);', 'return Objects.requireNonNull(xs.get(0));');
      assert.equal(applied(file, answer, 'src/app/Names.java'), want);
    });

    it('TypeScript: `import` at the margin above a method indented as in its class: the import joins the imports, not the class', () => {
      const file = ["import { readFileSync } from 'node:fs';", '', 'export class Loader {', '  constructor(private readonly dir: string) {}', '', '  load(name: string): string {', "    return readFileSync(this.dir + '/' + name, 'utf8');", '  }', '}', ''].join('\n');
      const answer = 'Join paths properly:\n\n' + fence('ts', "import { join } from 'node:path';\n\n  load(name: string): string {\n    return readFileSync(join(this.dir, name), 'utf8');\n  }");
      const want = file.replace("from 'node:fs';\n", "from 'node:fs';\nimport { join } from 'node:path';\n").replace("this.dir + '/' + name", 'join(this.dir, name)');
      assert.equal(applied(file, answer, 'src/loader.ts'), want);
    });

    it('TypeScript: two unnamed blocks, the interface with a new field and a function using it, are both applied', () => {
      const file = ['export interface Opts {', '  name: string;', '}', '', 'export function label(o: Opts): string {', '  return o.name;', '}', '', 'export const VERSION = 1;', ''].join('\n');
      const answer = [
        '1. Add the prefix:', '', fence('ts', 'export interface Opts {\n  name: string;\n  prefix?: string;\n}'), '',
        '2. Use it:', '', fence('ts', 'export function label(o: Opts): string {\n  return (o.prefix ?? \'\') + o.name;\n}'),
      ].join('\n');
      const want = file.replace('  name: string;\n', '  name: string;\n  prefix?: string;\n').replace('  return o.name;', "  return (o.prefix ?? '') + o.name;");
      assert.equal(applied(file, answer, 'src/label.ts'), want);
    });

    it('still refuses two unnamed blocks that both rewrite the same function differently (which one is the edit?)', () => {
      const file = ['export function twice(n: number): number {', '  return n + n;', '}', '', 'export const ONE = 1;', ''].join('\n');
      const answer = [
        'Either', '', fence('ts', 'export function twice(n: number): number {\n  return 2 * n;\n}'), '', 'or', '',
        fence('ts', 'export function twice(n: number): number {\n  return n << 1;\n}'),
      ].join('\n');
      const r = applyModelEdit(file, answer, { path: 'src/twice.ts' });
      assert.ok(!r.ok, 'should refuse');
      assert.match(r.reason, /2 code blocks/);
    });
  });
});
