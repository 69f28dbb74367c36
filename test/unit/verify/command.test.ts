import assert from 'node:assert/strict';
import { expandCommand, outputTail, shellQuote } from '../../../src/core/verify';

describe('verify: test command', () => {
  it('fills {file} {dir} {symbol}, shell-quoted', () => {
    const r = expandCommand('npm test -- -t {symbol} && pytest -x {file} {dir}', { file: 'src/my file.ts', dir: 'src', symbol: "it's" });
    assert.deepEqual(r, { ok: true, command: `npm test -- -t 'it'\\''s' && pytest -x 'src/my file.ts' src` });
  });

  it('a file name can never inject shell syntax', () => {
    const r = expandCommand('cat {file}', { file: 'a;touch pwned$(id)`x`.ts', dir: '.', symbol: '' });
    assert.ok(r.ok);
    assert.equal(r.command, `cat 'a;touch pwned$(id)\`x\`.ts'`);
    assert.equal(shellQuote(''), "''");
  });

  it('refuses an empty command and {symbol} without a symbol; cmd.exe refuses % and !', () => {
    assert.equal(expandCommand('  ', { file: 'a', dir: '.', symbol: '' }).ok, false);
    assert.equal(expandCommand('go test -run {symbol}', { file: 'a', dir: '.', symbol: '' }).ok, false);
    assert.equal(expandCommand('type {file}', { file: '100%.txt', dir: '.', symbol: '' }, 'windows').ok, false);
    assert.deepEqual(expandCommand('type {file}', { file: 'my file.txt', dir: '.', symbol: '' }, 'windows'), { ok: true, command: 'type "my file.txt"' });
  });

  it('keeps the last lines of output without ANSI codes or CRs', () => {
    const out = Array.from({ length: 50 }, (_, i) => `\x1b[31mline ${i}\x1b[0m`).join('\r\n') + '\r\n\r\n';
    const tail = outputTail(out, 3);
    assert.equal(tail, 'line 47\nline 48\nline 49');
    assert.ok(outputTail('x'.repeat(10_000), 30, 100).length === 100);
  });
});
