// Problems that appeared in other files while an edit was checked: reported on their own, not counted for "Fixed".
import { strict as assert } from 'node:assert';
import { compareDiagnostics, newProblemsElsewhere, summarize, type Problem } from '../../../src/core/verify';

const p = (line: number, message: string, extra: Partial<Problem> = {}): Problem => ({ message, severity: 'error', line, character: 2, endLine: line, code: '2554', source: 'ts', ...extra });

describe('verify: new problems in other files', () => {
  const sig = 'Expected 2 arguments, but got 1.';

  it('reports a new error in a caller, not the edited file, and not problems that were already there', () => {
    const before = [{ relPath: 'src/main.ts', problems: [p(9, 'old')] }, { relPath: 'src/math.ts', problems: [] }];
    const after = [{ relPath: 'src/main.ts', problems: [p(3, sig), p(12, 'old')] }, { relPath: 'src/math.ts', problems: [p(1, 'in the edited file')] }];
    assert.deepEqual(newProblemsElsewhere(before, after, new Set(['src/math.ts'])), [{ relPath: 'src/main.ts', problem: p(3, sig) }]);
  });

  it('a problem that only moved (the user typed above it) is not new; a second copy of the same message is', () => {
    const before = [{ relPath: 'a.ts', problems: [p(1, sig)] }];
    assert.deepEqual(newProblemsElsewhere(before, [{ relPath: 'a.ts', problems: [p(5, sig)] }], new Set()), []);
    assert.deepEqual(newProblemsElsewhere(before, [{ relPath: 'a.ts', problems: [p(1, sig), p(7, sig)] }], new Set()), [{ relPath: 'a.ts', problem: p(7, sig) }]);
  });

  it('a file with no diagnostics before counts everything new; hints and infos do not count', () => {
    const after = [{ relPath: 'b.ts', problems: [p(2, 'x'), p(0, 'unused', { severity: 'hint' }), p(1, 'y', { severity: 'warning' })] }];
    assert.deepEqual(newProblemsElsewhere([], after, new Set()).map((e) => e.problem.message), ['y', 'x']);
  });

  it('the line keeps "Fixed" and lists elsewhere as its own part', () => {
    const text = 'let totl = 1;\nconsole.log(totl);\n';
    const c = compareDiagnostics({ beforeText: text, afterText: text.replace(/totl/g, 'total'), before: [p(1, "Cannot find name 'totl'.")], after: [], target: { line: 1, message: "Cannot find name 'totl'." } });
    const s = summarize({ relPath: 'a.ts', comparison: c, otherFiles: [{ relPath: 'src/main.ts', problem: p(3, sig) }] });
    assert.equal(s.state, 'fixed');
    assert.equal(s.text, "✓ Fixed: `Cannot find name 'totl'.` is gone · no new problems · elsewhere: 1 new problem in other files: src/main.ts:4 `Expected 2 arguments, but got 1.`");
    assert.deepEqual(s.problems, [], 'problems in other files are not what a repair of a.ts addresses');
  });
});
