import assert from 'node:assert/strict';
import { buildTaskPrompt, type EditorContext } from '../../../src/core/context';

const chars = (t: string) => t.length;
const context: EditorContext = {
  path: 'src/stats.ts',
  languageId: 'typescript',
  target: { startLine: 0, endLine: 2, kind: 'symbol', symbolName: 'mean', symbolKind: 'function', text: 'export function mean(p: Pair): number {\n  return total(p) / 2;\n}' },
  diagnostics: [],
  definitions: [{ name: 'total', path: 'src/pair.ts', line: 5, text: 'export function total(p: Pair): number {\n  return p.left + p.right;\n}', inWorkspace: true }],
};
const map = ['Repository map — …:', 'src/money.ts:', '  export function formatMoney(cents: number): string', 'src/retry.ts:', ...Array.from({ length: 20 }, (_, i) => `  export function withRetry${i}<T>(fn: () => T): T`)].join('\n');

describe('editor tasks: the repository map slice', () => {
  it('comes after the definitions when the budget allows', () => {
    const r = buildTaskPrompt({ task: 'fix', context, repoMap: map }, 100_000, chars);
    assert.ok(r.ok);
    const at = ['`total` is defined in', 'Repository map', 'The code to change'].map((s) => r.prompt.indexOf(s));
    assert.ok(at[0] >= 0 && at[0] < at[1] && at[1] < at[2], JSON.stringify(at));
  });

  it('is cut first, with the visible marker, while the definitions stay whole', () => {
    const full = buildTaskPrompt({ task: 'fix', context, repoMap: map }, 100_000, chars);
    assert.ok(full.ok);
    const r = buildTaskPrompt({ task: 'fix', context, repoMap: map }, full.tokens - 300, chars);
    assert.ok(r.ok);
    assert.match(r.prompt, /return p\.left \+ p\.right;/, 'definition kept whole');
    assert.match(r.prompt, /\[… \d+ more lines of the repository map not shown: context budget\]/);
    assert.deepEqual(r.truncated, ['repository map']);
    const without = buildTaskPrompt({ task: 'fix', context }, 100_000, chars);
    assert.ok(without.ok);
    const tight = buildTaskPrompt({ task: 'fix', context, repoMap: map }, without.tokens + 70, chars);
    assert.ok(tight.ok && !tight.prompt.includes('Repository map') && tight.omitted.join() === 'repository map' && tight.prompt.includes('p.left + p.right'), tight.ok ? tight.prompt : tight.reason);
  });
});
