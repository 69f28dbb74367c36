import assert from 'node:assert/strict';
import { findReasoningPassage } from '../../../src/core/edits/citations';

describe('linking a change to the reasoning passage it came from', () => {
  const reasoning = 'The user says add() returns the wrong result. Looking at the function, it returns a - b, but the name says it should add. The fix is to return a + b instead. I will give the whole function.';

  it('finds the sentence that names the added code', () => {
    const p = findReasoningPassage(reasoning, ['-  return a - b;', '+  return a + b;']);
    assert.equal(p?.text, 'The fix is to return a + b instead.');
    assert.equal(reasoning.slice(p?.start, p?.end), p?.text);
  });

  it('uses the removed code when the change only deletes', () => {
    assert.match(findReasoningPassage('First. We must drop console.log(debugValue) here. Done.', ['-  console.log(debugValue);'])?.text ?? '', /^We must drop console\.log\(debugValue\) here\.$/);
  });

  it('gives no link when the reasoning never mentions the change (nothing is faked)', () => {
    assert.equal(findReasoningPassage(reasoning, ['+  return Math.max(a, b);']), undefined);
  });

  it('ignores fragments too short to be a real mention', () => {
    assert.equal(findReasoningPassage('Add a } at the end.', ['+}']), undefined);
  });
});
