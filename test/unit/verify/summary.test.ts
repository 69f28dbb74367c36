import assert from 'node:assert/strict';
import { compareDiagnostics, summarize, type Problem } from '../../../src/core/verify';

const err = (line: number, message: string): Problem => ({ message, severity: 'error', line, character: 0, endLine: line });
const MISSING = "Cannot find name 'totl'.";
const before = 'const total = 1;\nexport const t = totl;\n';

describe('verify: the verification line', () => {
  it('Fixed only when the target is gone, with no new problems; tests add their time', () => {
    const c = compareDiagnostics({ beforeText: before, afterText: before.replace('totl', 'total'), before: [err(1, MISSING)], after: [], target: { line: 1, message: MISSING } });
    const s = summarize({ relPath: 'a.ts', comparison: c, test: { status: 'passed', exitCode: 0, ms: 3200, tail: '', command: 'npm test' } });
    assert.equal(s.state, 'fixed');
    assert.equal(s.text, "✓ Fixed: `Cannot find name 'totl'.` is gone · no new problems · tests passed in 3.2 s");
  });

  it('never Fixed when the target stays, moves, or the file was not checked', () => {
    const stays = compareDiagnostics({ beforeText: before, afterText: before + '\n', before: [err(1, MISSING)], after: [err(1, MISSING)], target: { line: 1, message: MISSING } });
    assert.equal(summarize({ relPath: 'a.ts', comparison: stays }).state, 'failed');
    assert.match(summarize({ relPath: 'a.ts', comparison: stays }).text, /is still there \(line 2\)/);
    const moved = compareDiagnostics({ beforeText: before, afterText: 'const total = totl;\nexport const t = total;\n', before: [err(1, MISSING)], after: [err(0, MISSING)], target: { line: 1, message: MISSING } });
    assert.match(summarize({ relPath: 'a.ts', comparison: moved }).text, /^✗ .*reappears on line 1/);
    const unchecked = summarize({ relPath: 'a.rb', notChecked: 'no language service reported on a.rb' });
    assert.equal(unchecked.state, 'notVerified');
    assert.equal(unchecked.text, '? Not verified: no language service reported on a.rb');
  });

  it('new problems are listed with their lines and become the repair turn\'s problems', () => {
    const c = compareDiagnostics({ beforeText: before, afterText: before.replace('totl', 'totall'), before: [], after: [err(1, "Cannot find name 'totall'."), err(1, 'Second.')] });
    const s = summarize({ relPath: 'a.ts', comparison: c });
    assert.equal(s.state, 'failed');
    assert.equal(s.text, "✗ 2 new problems: `Cannot find name 'totall'.` (line 2), `Second.` (line 2)");
    assert.equal(s.problems.length, 2);
  });

  it('a clean edit says "No new problems"; a failing test fails it; other files are noted', () => {
    const c = compareDiagnostics({ beforeText: before, afterText: before + '// x\n', before: [], after: [] });
    assert.equal(summarize({ relPath: 'a.ts', comparison: c }).text, '✓ No new problems');
    const failing = summarize({ relPath: 'a.ts', comparison: c, test: { status: 'failed', exitCode: 1, ms: 900, tail: 'x', command: 't' } });
    assert.equal(failing.text, '✗ tests failed (exit 1) in 0.9 s');
    const noted = summarize({ relPath: 'a.ts', comparison: c, otherFiles: [{ relPath: 'b.ts', problem: err(3, 'x') }] });
    assert.equal(noted.text, '✓ No new problems · elsewhere: 1 new problem in other files: b.ts:4 `x`');
  });
});
