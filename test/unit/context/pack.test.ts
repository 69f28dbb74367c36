import assert from 'node:assert/strict';
import { buildTaskPrompt, estimateTokens, packSections, promptBudget, type EditorContext, type Section } from '../../../src/core/context';

/** One token per character: easy to reason about budgets. */
const chars = (t: string) => t.length;

const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1}`).join('\n');

function sampleContext(overrides: Partial<EditorContext> = {}): EditorContext {
  return {
    path: 'src/stats.ts',
    languageId: 'typescript',
    target: { startLine: 2, endLine: 4, kind: 'symbol', symbolName: 'mean', symbolKind: 'function', text: 'export function mean(p: Pair): number {\n  return total(p) / p.count;\n}' },
    header: { endLine: 0, text: "import { Pair, total } from './pair';" },
    diagnostics: [{ line: 3, severity: 'error', message: "Property 'count' does not exist on type 'Pair'.", source: 'ts', code: '2339' }],
    definitions: [
      { name: 'Pair', path: 'src/pair.ts', line: 0, text: 'export interface Pair {\n  left: number;\n  right: number;\n}', inWorkspace: true },
      { name: 'total', path: 'src/pair.ts', line: 5, text: lines(30, 'total'), inWorkspace: true },
    ],
    ...overrides,
  };
}

describe('context packing', () => {
  it('includes everything, in a fixed order, when the budget allows', () => {
    const r = buildTaskPrompt({ task: 'fix', context: sampleContext() }, 100_000, chars);
    assert.ok(r.ok);
    const order = ['Fix a problem in code from `src/stats.ts`', "Property 'count' does not exist", "import { Pair, total } from './pair';", '`Pair` is defined in src/pair.ts, line 1', '`total` is defined in src/pair.ts, line 6', 'function `mean`, lines 3–5 of src/stats.ts', 'Fix the problems listed above'];
    const at = order.map((s) => r.prompt.indexOf(s));
    assert.ok(at.every((i) => i >= 0), `all parts present: ${JSON.stringify(at)}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, 'parts appear in the documented order');
    assert.deepEqual([r.truncated, r.omitted], [[], []]);
    assert.doesNotMatch(r.prompt, /not shown|Left out/);
  });

  it('stays within the budget and marks what it cut or left out', () => {
    const full = buildTaskPrompt({ task: 'fix', context: sampleContext() }, 100_000, chars);
    assert.ok(full.ok);
    for (const budget of [full.tokens - 50, full.tokens - 300, full.tokens - 500]) {
      const r = buildTaskPrompt({ task: 'fix', context: sampleContext() }, budget, chars);
      assert.ok(r.ok, `budget ${budget}`);
      assert.ok(r.prompt.length <= budget, `prompt ${r.prompt.length} chars within ${budget}`);
      assert.ok(r.truncated.length + r.omitted.length > 0, 'something had to give');
      for (const label of r.truncated) assert.ok(label);
      if (r.truncated.length) assert.match(r.prompt, /\[… \d+ more (lines|problems) not shown: context budget\]/);
      if (r.omitted.length) assert.match(r.prompt, /\[Left out to fit the model's context: .*definition of `total`/);
      // The target and the instruction are never cut.
      assert.ok(r.prompt.includes('  return total(p) / p.count;\n}'));
      assert.match(r.prompt, /Reply with the complete rewritten code \(lines 3–5 only\) in ONE fenced ```ts code block/);
    }
  });

  it('cuts the least important context first: definitions before the header before diagnostics', () => {
    const full = buildTaskPrompt({ task: 'fix', context: sampleContext() }, 100_000, chars);
    assert.ok(full.ok);
    const r = buildTaskPrompt({ task: 'fix', context: sampleContext() }, full.tokens - 200, chars);
    assert.ok(r.ok);
    assert.deepEqual([...r.truncated, ...r.omitted], ['definition of `total` (src/pair.ts)']);
    assert.match(r.prompt, /total line 1\n/, 'the start of a cut definition is kept');
    assert.doesNotMatch(r.prompt, /total line 30/);
  });

  it('is deterministic: the same input and budget give the same prompt', () => {
    const a = buildTaskPrompt({ task: 'refactor', context: sampleContext() }, 420, chars);
    const b = buildTaskPrompt({ task: 'refactor', context: sampleContext() }, 420, chars);
    assert.deepEqual(a, b);
  });

  it('refuses, saying how to fix it, when the target alone does not fit', () => {
    const big = sampleContext({ target: { startLine: 0, endLine: 999, kind: 'selection', text: lines(1000, 'code') } });
    const r = buildTaskPrompt({ task: 'fix', context: big }, 2000, chars);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /too large for the model's context .*Select a smaller block, or raise `ponder.contextSize`/);
  });

  it('packSections keeps required sections whole and binary-searches the largest cut that fits', () => {
    const section = (id: string, n: number, priority: number, required = false): Section => ({
      id, label: id, required, priority, units: n, minUnits: 2,
      render: (keep) => lines(keep, id) + (keep < n ? '\n[cut]' : ''),
    });
    const r = packSections([section('req', 3, 0, true), section('a', 20, 1), section('b', 20, 2)], 260, chars);
    assert.ok(r.ok);
    assert.deepEqual(r.parts.map((p) => p.id), ['req', 'a', 'b'].filter((id) => r.parts.some((p) => p.id === id)));
    assert.ok(r.tokens <= 260);
    assert.equal(r.parts[0].text, lines(3, 'req'));
  });
});

describe('prompt shape', () => {
  it('puts everything in one user message with one fenced block requested, and no diff format', () => {
    const r = buildTaskPrompt({ task: 'edit', context: sampleContext(), instructions: 'divide by 2' }, 100_000, chars);
    assert.ok(r.ok);
    assert.match(r.prompt, /Change this code as follows: divide by 2/);
    assert.match(r.prompt, /ONE fenced ```ts code block/);
    assert.match(r.prompt, /no placeholders such as "\/\/ \.\.\. existing code \.\.\."/);
  });

  it('uses a longer fence when the code itself contains ```', () => {
    const md = sampleContext({ languageId: 'markdown', target: { startLine: 0, endLine: 2, kind: 'selection', text: '```js\nx\n```' }, definitions: [], header: undefined });
    const r = buildTaskPrompt({ task: 'explain', context: md }, 100_000, chars);
    assert.ok(r.ok);
    assert.ok(r.prompt.includes('````markdown\n```js\nx\n```\n````'));
    assert.match(r.prompt, /Answer in prose; do not rewrite the code/);
  });

  it('asks for a whole test file, or only new tests when the file exists', () => {
    const fresh = buildTaskPrompt({ task: 'tests', context: sampleContext(), testPath: 'src/stats.test.ts', testFileExists: false }, 100_000, chars);
    const more = buildTaskPrompt({ task: 'tests', context: sampleContext(), testPath: 'src/stats.test.ts', testFileExists: true }, 100_000, chars);
    assert.ok(fresh.ok && more.ok);
    assert.match(fresh.prompt, /complete test file in ONE fenced/);
    assert.match(more.prompt, /ONLY the new tests/);
  });

  it('budgets: the prompt gets what reasoning and the answer leave, and an estimate is cheap but conservative', () => {
    assert.equal(promptBudget({ contextSize: 2048, targetTokens: 100, task: 'fix' }), 2048 - 512 - (125 + 96) - 64);
    assert.equal(promptBudget({ contextSize: 2048, targetTokens: 100, task: 'fix', maxThinkingTokens: 100 }), 2048 - 100 - (125 + 96) - 64);
    assert.equal(promptBudget({ contextSize: 512, targetTokens: 400, task: 'fix' }), 0);
    assert.ok(estimateTokens('export function add(a: number, b: number): number {') >= 12);
  });
});
