import assert from 'node:assert/strict';
import { compareDiagnostics, distanceToChange, lineChanges, mapLine, type Problem } from '../../../src/core/verify';

const err = (line: number, message: string, extra: Partial<Problem> = {}): Problem => ({ message, severity: 'error', line, character: 2, endLine: line, code: '2304', source: 'ts', ...extra });
const lines = (...ls: string[]) => ls.join('\n') + '\n';

const BEFORE = lines('function sum(xs: number[]) {', '  let total = 0;', '  for (const x of xs) total += x;', '  return totl;', '}', '', 'export const z = y;');
const MISSING = "Cannot find name 'totl'. Did you mean 'total'?";
const Y = "Cannot find name 'y'.";

describe('verify: line mapping through an edit', () => {
  it('shifts lines below an insertion and marks replaced lines unmapped', () => {
    const after = lines('// header', 'a', 'B', 'c');
    const ch = lineChanges(lines('a', 'b', 'c'), after);
    assert.equal(mapLine(ch, 0), 1);
    assert.equal(mapLine(ch, 1), undefined, 'b was replaced');
    assert.equal(mapLine(ch, 2), 3);
  });

  it('distance: inside a change is 0, the lines around a pure deletion touch it', () => {
    const ch = lineChanges(lines('a', 'b', 'c', 'd'), lines('a', 'd'));
    assert.deepEqual(ch, [{ oldStart: 1, oldEnd: 3, newStart: 1, newEnd: 1 }]);
    assert.equal(distanceToChange(ch, 1), 0);
    assert.equal(distanceToChange(ch, 0), 1);
  });
});

describe('verify: compareDiagnostics', () => {
  it('Fix: the target diagnostic is gone, nothing new → resolved and target gone', () => {
    const after = BEFORE.replace('return totl;', 'return total;');
    const c = compareDiagnostics({ beforeText: BEFORE, afterText: after, before: [err(3, MISSING), err(6, Y)], after: [err(6, Y)], target: { line: 3, message: MISSING } });
    assert.deepEqual(c.target, { status: 'gone', message: MISSING, line: 3 });
    assert.deepEqual(c.resolved.map((p) => p.message), [MISSING]);
    assert.deepEqual(c.newProblems, []);
    assert.deepEqual(c.elsewhere, []);
  });

  it('(a) the target stays on its line → not gone', () => {
    const after = BEFORE.replace('let total = 0;', 'let total = 0; // sum');
    const c = compareDiagnostics({ beforeText: BEFORE, afterText: after, before: [err(3, MISSING)], after: [err(3, MISSING)], target: { line: 3, message: MISSING } });
    assert.equal(c.target?.status, 'stays');
    assert.deepEqual(c.resolved, []);
    assert.deepEqual(c.newProblems, []);
  });

  it('(a) the target stays on a line the edit rewrote → stays', () => {
    const after = BEFORE.replace('return totl;', 'return  totl ;');
    const c = compareDiagnostics({ beforeText: BEFORE, afterText: after, before: [err(3, MISSING)], after: [err(3, MISSING)], target: { line: 3, message: MISSING } });
    assert.equal(c.target?.status, 'stays');
  });

  it('(b) the same error reappearing on another line is not resolved (moved), and not counted as new', () => {
    const after = lines('function sum(xs: number[]) {', '  let total = 0;', '  for (const x of xs) total += totl;', '  return total;', '}', '', 'export const z = y;');
    const c = compareDiagnostics({ beforeText: BEFORE, afterText: after, before: [err(3, MISSING), err(6, Y)], after: [err(2, MISSING), err(6, Y)], target: { line: 3, message: MISSING } });
    assert.equal(c.target?.status, 'moved');
    assert.equal(c.target?.line, 2);
    assert.deepEqual(c.resolved, []);
    assert.deepEqual(c.newProblems, []);
  });

  it('a problem that only moved because lines were inserted above it is neither new nor resolved', () => {
    const after = lines('import { y } from "./y";', '', ...BEFORE.trimEnd().split('\n'));
    const c = compareDiagnostics({ beforeText: BEFORE, afterText: after, before: [err(6, Y)], after: [err(8, Y)] });
    assert.deepEqual(c.newProblems, []);
    assert.deepEqual(c.resolved, []);
  });

  it('new problems in or next to the changed lines vs. elsewhere in the file', () => {
    const long = lines(...Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`));
    const after = long.replace('const v10 = 10;', 'const v10 = w;');
    const c = compareDiagnostics({
      beforeText: long, afterText: after, before: [],
      after: [err(10, "Cannot find name 'w'."), err(11, 'next line'), err(25, 'far away'), err(12, 'just a hint', { severity: 'hint' })],
    });
    assert.deepEqual(c.newProblems.map((p) => p.message), ["Cannot find name 'w'.", 'next line']);
    assert.deepEqual(c.elsewhere.map((p) => p.message), ['far away']);
  });

  it('a second identical message next to an unchanged old one is new (multiset, not set)', () => {
    const before = lines('a', 'b', 'c', 'd');
    const after = lines('a', 'b', 'c2', 'd');
    const c = compareDiagnostics({ beforeText: before, afterText: after, before: [err(0, Y)], after: [err(0, Y), err(2, Y)] });
    assert.deepEqual(c.newProblems.map((p) => p.line), [2]);
  });

  it('a target that was never among the diagnostics is unknown, never gone', () => {
    const c = compareDiagnostics({ beforeText: BEFORE, afterText: BEFORE.replace('totl', 'total'), before: [], after: [], target: { line: 3, message: 'add() must return the sum' } });
    assert.equal(c.target?.status, 'unknown');
  });

  it('the target is the nearest diagnostic with its message; an identical one elsewhere that stays does not make it stay', () => {
    const before = lines('x(totl);', 'a', 'b', 'c', 'y(totl);');
    const after = lines('x(totl);', 'a', 'b', 'c', 'y(total);');
    const c = compareDiagnostics({ beforeText: before, afterText: after, before: [err(0, MISSING), err(4, MISSING)], after: [err(0, MISSING)], target: { line: 4, message: MISSING } });
    assert.equal(c.target?.status, 'gone');
  });

  it('different codes or severities are different problems', () => {
    const before = lines('a', 'b');
    const after = lines('a', 'b2');
    const c = compareDiagnostics({ beforeText: before, afterText: after, before: [err(1, 'm', { code: '1' })], after: [err(1, 'm', { code: '2' })] });
    assert.equal(c.newProblems.length, 1);
    assert.equal(c.resolved.length, 1);
  });
});
