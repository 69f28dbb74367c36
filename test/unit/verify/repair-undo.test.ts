import assert from 'node:assert/strict';
import { buildRepairPrompt, planUndo } from '../../../src/core/verify';

describe('verify: repair prompt', () => {
  it('carries the applied diff, the problems with their lines and text, and the test tail', () => {
    const p = buildRepairPrompt({
      relPath: 'src/a.ts', before: 'const a = 1;\nexport const b = a;\n', after: 'const a = 1;\nexport const b = c;\n', round: 1,
      problems: [{ message: "Cannot find name 'c'.", code: '2304', source: 'ts', severity: 'error', line: 1, character: 17, endLine: 1 }],
      test: { status: 'failed', exitCode: 1, ms: 10, tail: 'FAIL b is not defined', command: 'npm test' },
    });
    assert.match(p, /-export const b = a;\n\+export const b = c;/);
    assert.match(p, /- line 2: Cannot find name 'c'\. \[ts 2304\]\n {4}2 \| export const b = c;/);
    assert.match(p, /`npm test` failed \(exit code 1\)[\s\S]*FAIL b is not defined/);
  });
});

describe('verify: undo Ponder\'s change', () => {
  const original = 'a\nb\nc\nd\ne\nf\ng\n';
  const written = 'a\nB\nB2\nc\nd\ne\nf\ng\n';

  it('untouched since: back to the original bytes (CRLF kept as it was)', () => {
    assert.deepEqual(planUndo('x', original, written, written), { ok: true, text: original });
    const crlf = original.replace(/\n/g, '\r\n');
    assert.deepEqual(planUndo('x', crlf, written.replace(/\n/g, '\r\n'), written.replace(/\n/g, '\r\n')), { ok: true, text: crlf });
  });

  it('keeps the user\'s edits elsewhere', () => {
    const current = written.replace('f\n', 'F (user)\n');
    assert.deepEqual(planUndo('x', original, written, current), { ok: true, text: original.replace('f\n', 'F (user)\n') });
  });

  it('refuses, naming the line, when the user typed in the lines Ponder changed', () => {
    const r = planUndo('src/x.ts', original, written, written.replace('B2', 'B2 typed'));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /line 3 of src\/x\.ts/);
  });
});
