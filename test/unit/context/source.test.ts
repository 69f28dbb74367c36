import assert from 'node:assert/strict';
import { findHeaderEnd, identifiersIn, reanchor, testFilePath } from '../../../src/core/context';

describe('file header', () => {
  it('covers leading comments and imports, multi-line ones included, and stops at code', () => {
    const src = ['#!/usr/bin/env node', '// Licence', "import a from 'a';", 'import {', '  b,', '  c,', "} from 'bc';", '', 'export function f() {}', "import late from 'late';"];
    assert.equal(findHeaderEnd(src), 6);
  });
  it('knows Python, C and Go forms, and finds none in a file without imports', () => {
    assert.equal(findHeaderEnd(['"""Doc."""', 'import os', 'from x import (', '  y,', ')', 'def f(): pass']), 4);
    assert.equal(findHeaderEnd(['#include <stdio.h>', '#include "x.h"', 'int main() {}']), 1);
    assert.equal(findHeaderEnd(['package main', '', 'import "fmt"', 'func main() {}']), 2);
    assert.equal(findHeaderEnd(['const x = 1;', "import a from 'a';"]), undefined);
  });
});

describe('identifiers in a block', () => {
  it('lists names once, in order of first use, without keywords, strings or comments', () => {
    const ids = identifiersIn("export function mean(p: Pair): number {\n  // uses total\n  return total(p) / p.count + 'label'.length;\n}");
    assert.deepEqual(ids.map((i) => i.name), ['mean', 'Pair', 'total', 'count', 'length']);
    assert.equal(ids[1].offset, "export function mean(p: ".length);
  });
});

describe('re-anchoring a proposal to a changed file', () => {
  const original = 'a\nb\nc\nfunction add(a, b) {\n  return a - b;\n}\nd\ne\n';
  const proposed = original.replace('a - b', 'a + b');

  it('returns the proposal unchanged when the file did not change', () => {
    assert.deepEqual(reanchor(original, proposed, original), { ok: true, proposed, moved: false });
  });
  it('carries the change over when lines were added elsewhere', () => {
    const current = '// new header\n' + original + 'more\n';
    const r = reanchor(original, proposed, current);
    assert.deepEqual(r, { ok: true, proposed: '// new header\n' + proposed + 'more\n', moved: true });
  });
  it('keeps CRLF when the file now uses it', () => {
    const r = reanchor(original, proposed, original.replace(/\n/g, '\r\n'));
    assert.ok(r.ok);
    assert.equal(r.proposed, proposed.replace(/\n/g, '\r\n'));
  });
  it('refuses when the changed lines themselves were edited', () => {
    const r = reanchor(original, proposed, original.replace('a - b', 'a * b'));
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /changed since .*return a - b.*was edited/);
  });
  it('refuses when the change now matches in several places', () => {
    const twice = 'function add(a, b) {\n  return a - b;\n}\n';
    const r = reanchor(twice, twice.replace('a - b', 'a + b'), twice + '\n' + twice);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /several places/);
  });
});

describe('test file names', () => {
  it('follows each language’s convention', () => {
    assert.deepEqual(['src/math.ts', 'pkg/util.py', 'cmd/main.go', 'Foo.java', 'lib/x.rb'].map(testFilePath), ['src/math.test.ts', 'pkg/test_util.py', 'cmd/main_test.go', 'FooTest.java', 'lib/x_spec.rb']);
  });
});
