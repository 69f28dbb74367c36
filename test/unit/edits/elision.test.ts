import assert from 'node:assert/strict';
import { isElisionLine, mergeWithOriginal, toTokens } from '../../../src/core/edits/elision';
import { applyModelEdit } from '../../../src/core/edits/index';

const merge = (original: string[], model: string[], softEnds = true) => mergeWithOriginal(original, toTokens(model, original), { softEnds });

const calc = [
  'class Calc {',
  '  constructor() {',
  '    this.v = 0;',
  '  }',
  '',
  '  add(n) {',
  '    this.v += n;',
  '    return this;',
  '  }',
  '',
  '  sub(n) {',
  '    this.v -= n;',
  '    return this;',
  '  }',
  '}',
];

describe('edits: elision markers', () => {
  for (const l of ['// ... existing code ...', '# ... rest unchanged ...', '  // ... same ...', '{/* ... existing code ... */}', '/* ... */', '# ...', '...', '<!-- ... -->', '// rest of the code remains unchanged', '    // existing code', '// ... (other methods) ...', '... rest of file ...']) {
    it(`recognises ${JSON.stringify(l)}`, () => assert.ok(isElisionLine(l)));
  }
  for (const l of ['...rest,', 'const { a, ...rest } = o;', '// Adds the number', 'console.log("...")', '// TODO: handle the rest', 'return [...items];', ' * Returns the result']) {
    it(`does not take ${JSON.stringify(l)} for a placeholder`, () => assert.ok(!isElisionLine(l)));
  }
  it('a placeholder-looking line that the file itself contains is ordinary code', () => {
    assert.deepEqual(toTokens(['# ...', 'x'], ['# ...']).map((t) => t.elision), [false, false]);
  });
});

describe('edits: merging elided and fragmentary code', () => {
  it('adds a method after the last one ("... same ..." on both sides)', () => {
    const m = merge(calc, ['class Calc {', '  // ... same ...', '', '  mul(n) {', '    this.v *= n;', '    return this;', '  }', '', '  // ... same ...', '}']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines, [...calc.slice(0, 14), '', '  mul(n) {', '    this.v *= n;', '    return this;', '  }', '}']);
  });

  it("a new method's `return this;` / `}` never swallow the previous method's lines", () => {
    const m = merge(calc, ['class Calc {', '  // ... existing code ...', '', '  mul(n) {', '    this.v *= n;', '    return this;', '  }', '}']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines.slice(10, 14), ['  sub(n) {', '    this.v -= n;', '    return this;', '  }']);
    assert.equal(m.lines.length, calc.length + 5);
  });

  it('rewrites one method between elisions and keeps the rest', () => {
    const m = merge(calc, ['// ... existing code ...', '  add(n) {', '    this.v += 2 * n;', '    return this;', '  }', '// ... existing code ...']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines, [...calc.slice(0, 6), '    this.v += 2 * n;', ...calc.slice(7)]);
  });

  it('extends the first line, then elides the rest (edited line recognised)', () => {
    const py = ['from fastapi import FastAPI', '', 'app = FastAPI()', '', '@app.get("/")', 'def root():', '    return 1'];
    const m = merge(py, ['from fastapi import FastAPI, HTTPException', '', '# ... same ...', '', '@app.get("/")', 'def root():', '    raise HTTPException(404)']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines, ['from fastapi import FastAPI, HTTPException', '', 'app = FastAPI()', '', '@app.get("/")', 'def root():', '    raise HTTPException(404)']);
  });

  it('a new import above an elision is inserted, it does not replace a different import', () => {
    const js = ["import a from 'a';", "import c from 'c';", '', 'run(a, c);'];
    const m = merge(js, ["import a from 'a';", "import b from 'b';", '// ... existing code ...']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines, ["import a from 'a';", "import b from 'b';", "import c from 'c';", '', 'run(a, c);']);
  });

  it('with no line in common, "existing code" then new code appends', () => {
    const m = merge(['a()', 'b()'], ['// ... existing code ...', '', 'c()']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines, ['a()', 'b()', '', 'c()']);
  });

  it('blank lines around an elision are merged, not doubled', () => {
    const m = merge(calc, ['class Calc {', '  // ... existing code ...', '', '  // Adds n', '  add(n) {', '    this.v += n;', '    return this;', '  }', '', '  // ... existing code ...', '}']);
    assert.ok(m.ok);
    assert.deepEqual(m.lines, [...calc.slice(0, 5), '  // Adds n', ...calc.slice(5)]);
  });

  describe('fragments (no placeholders)', () => {
    it('a rewritten method in the middle replaces that method only', () => {
      const m = merge(calc, ['  add(n) {', '    this.v += n + 1;', '    return this;', '  }']);
      assert.ok(m.ok);
      assert.deepEqual(m.lines, [...calc.slice(0, 6), '    this.v += n + 1;', ...calc.slice(7)]);
      assert.equal(m.top, 'kept');
    });
    it('a rewritten first part keeps the rest of the file (never truncates)', () => {
      const m = merge(calc, ['class Calc {', '  constructor() {', '    this.v = 42;', '  }']);
      assert.ok(m.ok);
      assert.deepEqual(m.lines, [...calc.slice(0, 2), '    this.v = 42;', ...calc.slice(3)]);
    });
    it('a doc comment added above a method lands right above it', () => {
      const m = merge(calc, ['  /** Subtracts. */', '  sub(n) {', '    this.v -= n;', '    return this;', '  }']);
      assert.ok(m.ok);
      assert.deepEqual(m.lines, [...calc.slice(0, 10), '  /** Subtracts. */', ...calc.slice(10)]);
    });
    it('a flush-left fragment of an indented method is re-indented', () => {
      const m = merge(calc, ['sub(n) {', '  this.v -= 2 * n;', '  return this;', '}']);
      assert.ok(m.ok);
      assert.deepEqual(m.lines, [...calc.slice(0, 11), '    this.v -= 2 * n;', ...calc.slice(12)]);
    });
    it('code with nothing distinctive in common cannot be placed', () => {
      const m = merge(calc, ['  }', '', '  }']);
      assert.ok(!m.ok);
    });
  });

  it('end to end: a fragment in a fenced block is placed; an unplaceable one is refused', () => {
    const text = calc.join('\n') + '\n';
    const placed = applyModelEdit(text, 'Updated `sub`:\n```js\n  sub(n) {\n    this.v -= n;\n    if (this.v < 0) this.v = 0;\n    return this;\n  }\n```', { path: 'calc.js' });
    assert.ok(placed.ok);
    assert.equal(placed.format, 'block');
    assert.equal(placed.text, [...calc.slice(0, 12), '    if (this.v < 0) this.v = 0;', ...calc.slice(12)].join('\n') + '\n');
    const lost = applyModelEdit(text, '```js\nfunction helper() {\n  return 1;\n}\n```', { path: 'calc.js' });
    assert.ok(!lost.ok);
    assert.match(lost.reason, /no safe place/);
  });

  it('end to end: placeholders that match nothing are refused, never applied as deletions', () => {
    const r = applyModelEdit('a\nb\nc\n', '```\n// ... existing code ...\nx\n// ... existing code ...\n```');
    assert.ok(!r.ok || (r.text.includes('a\nb\nc') && r.text.includes('x')));
  });
});
