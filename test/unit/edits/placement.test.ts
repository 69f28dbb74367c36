/** Structure-aware placement of code blocks (tree-sitter): declarations mapped by kind + name + container. */
import assert from 'node:assert/strict';
import { applyModelEdit } from '../../../src/core/edits/index';
import { loadTestSyntax } from '../../support/syntax';

const fence = (lang: string, body: string) => `Here you go:\n\n\`\`\`${lang}\n${body}\n\`\`\`\n`;

const TS = [
  'export class Invoice {',
  '  /** Total in cents. */',
  '  total(): number {',
  '    return this.lines.reduce((a, l) => a + l.price, 0);',
  '  }',
  '',
  '  describe(): string {',
  '    return `Invoice ${this.id}`;',
  '  }',
  '}',
  '',
  'export class CreditNote {',
  '  total(): number {',
  '    return this.amount;',
  '  }',
  '}',
  '',
  'export function applyDiscount(invoice: Invoice, percent: number): number {',
  '  const total = invoice.total();',
  '  return total - Math.round((total * percent) / 100);',
  '}',
  '',
].join('\n');

describe('edits: structure-aware placement', () => {
  before(() => loadTestSyntax());

  it('a lazy class block replaces only the method it shows; the other members and the doc comment stay', () => {
    const r = applyModelEdit(TS, fence('ts', 'export class Invoice {\n  // ... existing code ...\n  describe(): string {\n    return `Invoice #${this.id}`;\n  }\n}'), { path: 'a.ts' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.text, TS.replace('`Invoice ${this.id}`', '`Invoice #${this.id}`'));
  });

  it('the container named in the block decides between same-named methods; without one it is refused as ambiguous', () => {
    const named = applyModelEdit(TS, fence('ts', 'export class CreditNote {\n  total(): number {\n    return Math.max(0, this.amount);\n  }\n}'), { path: 'a.ts' });
    assert.ok(named.ok, named.ok ? '' : named.reason);
    assert.equal(named.text, TS.replace('    return this.amount;', '    return Math.max(0, this.amount);'));
    const bare = applyModelEdit(TS, fence('ts', 'total(): number {\n  return 0;\n}'), { path: 'a.ts' });
    assert.equal(bare.ok, false);
    assert.match(bare.ok ? '' : bare.reason, /`Invoice\.total` \(line 3\) or `CreditNote\.total` \(line 13\)/);
  });

  it('a new helper above a rewritten function is inserted there, without touching the class before it', () => {
    const r = applyModelEdit(TS, fence('ts', 'function check(p: number): void {\n  if (p < 0) throw new RangeError("p");\n}\n\nexport function applyDiscount(invoice: Invoice, percent: number): number {\n  check(percent);\n  const total = invoice.total();\n  return total - Math.round((total * percent) / 100);\n}'), { path: 'a.ts' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.text, TS.replace('export function applyDiscount(invoice: Invoice, percent: number): number {\n', 'function check(p: number): void {\n  if (p < 0) throw new RangeError("p");\n}\n\nexport function applyDiscount(invoice: Invoice, percent: number): number {\n  check(percent);\n'));
  });

  it('a function renamed by the answer (same body, close name) is refused, naming both', () => {
    const r = applyModelEdit(TS, fence('ts', 'export function applyDiscnt(invoice: Invoice, percent: number): number {\n  const total = invoice.total();\n  return total - Math.round((total * percent) / 100);\n}'), { path: 'a.ts' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /`applyDiscnt` looks like `applyDiscount` \(line 18\) renamed/);
  });

  it('a method without its doc comment keeps the file\'s; a Python body with a placeholder merges by lines', () => {
    const r = applyModelEdit(TS, fence('ts', 'export class Invoice {\n  total(): number {\n    return 0;\n  }\n}'), { path: 'a.ts' });
    assert.ok(r.ok && r.text.includes('  /** Total in cents. */\n  total(): number {\n    return 0;'), JSON.stringify(r));
    const py = 'class A:\n    def f(self, x):\n        y = x + 1\n        z = y * 2\n        return z\n\n    def g(self):\n        return 2\n';
    const p = applyModelEdit(py, fence('python', '    def f(self, x, k=1):\n        # ... existing code ...\n        return z * k'), { path: 'a.py' });
    assert.ok(p.ok, p.ok ? '' : p.reason);
    assert.equal(p.text, py.replace('def f(self, x):', 'def f(self, x, k=1):').replace('        return z\n', '        return z * k\n'));
  });

  it('Go methods are matched by receiver; a new method goes right after the block\'s previous declaration', () => {
    const go = 'package main\n\ntype S struct {\n\tn int\n}\n\nfunc (s *S) Get() int {\n\treturn s.n\n}\n\nfunc (t *T) Get() int {\n\treturn 0\n}\n';
    const r = applyModelEdit(go, fence('go', 'func (s *S) Get() int {\n\treturn s.n + 1\n}\n\nfunc (s *S) Reset() {\n\ts.n = 0\n}'), { path: 'a.go' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.text, go.replace('\treturn s.n\n}\n', '\treturn s.n + 1\n}\n\nfunc (s *S) Reset() {\n\ts.n = 0\n}\n'));
  });
});
