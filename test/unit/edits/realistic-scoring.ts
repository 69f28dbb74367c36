/**
 * Scorer for sets of realistic edit answers (issue 11): one directory per case under test/fixtures/<set>/ with
 * meta.json ({path, expect, range?, why}), original, answer.md and, for apply/warn, expected (the exact file a
 * careful human produces). Used by realistic.test.ts (the set the engine was developed against) and
 * holdout.test.ts (a held-out set written without looking at the engine, to measure how it generalises).
 *
 * expect: apply = ok with exactly `expected` (warnings tolerated but counted); warn = ok with `expected` and at
 * least one warning; refuse = ok:false; refuse-or-warn = ok:false, or ok:true with at least one warning.
 * Aggregate targets from the issue: ≥ 95 % of apply cases exact, every refuse case refused, no wrong result
 * offered without a warning, and none with confidence ≥ 0.8 without one.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Language, Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import { applyModelEdit, type ApplyResult, type LineRange } from '../../../src/core/edits/index';
import { repoRoot } from '../../support/paths';
import { loadTestSyntax } from '../../support/syntax';

type Expect = 'apply' | 'warn' | 'refuse' | 'refuse-or-warn';
interface Case {
  name: string;
  lang: string;
  path: string;
  expect: Expect;
  range?: LineRange;
  why: string;
  original: string;
  answer: string;
  expected?: string;
}

function readCases(fixtures: string): Case[] {
  return readdirSync(fixtures, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(fixtures, name);
      const meta: unknown = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8'));
      const m = parseMeta(name, meta);
      const expectedPath = path.join(dir, 'expected');
      return {
        name,
        lang: name.split('-')[0],
        ...m,
        original: readFileSync(path.join(dir, 'original'), 'utf8'),
        answer: readFileSync(path.join(dir, 'answer.md'), 'utf8'),
        expected: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined,
      };
    });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseMeta(name: string, m: unknown): Pick<Case, 'path' | 'expect' | 'range' | 'why'> {
  const bad = (what: string): never => assert.fail(`${name}/meta.json: ${what}`);
  if (!isRecord(m)) return bad('not an object');
  const expect = m.expect;
  if (expect !== 'apply' && expect !== 'warn' && expect !== 'refuse' && expect !== 'refuse-or-warn') return bad('bad expect');
  if (typeof m.path !== 'string' || typeof m.why !== 'string') return bad('path and why must be strings');
  let range: LineRange | undefined;
  if (m.range !== undefined) {
    const r = m.range;
    if (!isRecord(r) || typeof r.startLine !== 'number' || typeof r.endLine !== 'number') return bad('bad range');
    range = { startLine: r.startLine, endLine: r.endLine };
  }
  return { path: m.path, expect, range, why: m.why };
}

// ---- Syntax check of the expected files. If src/core exports its syntax layer (loadSyntax), switch `syntaxProblems`
// ---- to it: it is the only place that knows about tree-sitter here.
const WASM_DIR = path.join(repoRoot(), 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
const GRAMMAR: Record<string, string> = {
  '.ts': 'typescript', '.tsx': 'tsx', '.js': 'javascript', '.py': 'python', '.go': 'go', '.rs': 'rust', '.java': 'java', '.cs': 'c-sharp',
};
type TreeSitter = typeof import('@vscode/tree-sitter-wasm');
let ts: TreeSitter | undefined;
const languages = new Map<string, Language>();

/**
 * A private instance of the tree-sitter runtime. Parser.init replaces the module-wide wasm instance, so initialising
 * the copy the engine uses would invalidate the languages the engine already loaded (and the engine's init would
 * invalidate ours).
 */
function privateTreeSitter(): TreeSitter {
  const id = require.resolve('@vscode/tree-sitter-wasm');
  const shared = require.cache[id];
  delete require.cache[id];
  try {
    return require(id);
  } finally {
    if (shared) require.cache[id] = shared;
    else delete require.cache[id];
  }
}

async function initSyntax(): Promise<void> {
  ts = privateTreeSitter();
  await ts.Parser.init({ locateFile: () => path.join(WASM_DIR, 'tree-sitter.wasm') });
  for (const grammar of new Set(Object.values(GRAMMAR))) {
    languages.set(grammar, await ts.Language.load(readFileSync(path.join(WASM_DIR, `tree-sitter-${grammar}.wasm`))));
  }
}

/** ERROR/MISSING nodes of `text` parsed as the language of `file` ("line N: ERROR"); [] when clean or not checked (YAML). */
function syntaxProblems(file: string, text: string): string[] {
  const ext = path.extname(file);
  if (ext === '.json') {
    try {
      JSON.parse(text);
      return [];
    } catch (e) {
      return [String(e)];
    }
  }
  const grammar = GRAMMAR[ext];
  if (!grammar) return [];
  const language = languages.get(grammar);
  assert.ok(language && ts, `tree-sitter grammar ${grammar} is not loaded`);
  const parser = new ts.Parser();
  parser.setLanguage(language);
  const tree = parser.parse(text);
  assert.ok(tree, `tree-sitter returned no tree for ${file}`);
  const problems: string[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'ERROR' || n.isMissing) problems.push(`line ${n.startPosition.row + 1}: ${n.isMissing ? 'MISSING ' + n.type : 'ERROR'}`);
    else if (n.hasError) for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  parser.delete();
  return problems;
}

// ---- Scoring.
type Outcome = 'exact' | 'exact-warned' | 'refused' | 'warned' | 'WRONG-silent' | 'wrong-warned' | 'threw';
interface Scored {
  c: Case;
  outcome: Outcome;
  result?: ApplyResult;
  error?: string;
}

function run(c: Case): Scored {
  let result: ApplyResult;
  try {
    result = applyModelEdit(c.original, c.answer, { path: c.path, range: c.range });
  } catch (e) {
    return { c, outcome: 'threw', error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  if (!result.ok) return { c, outcome: 'refused', result };
  const warned = result.warnings.length > 0;
  if (c.expected !== undefined && result.text === c.expected) return { c, outcome: warned ? 'exact-warned' : 'exact', result };
  if (c.expected === undefined) return { c, outcome: warned ? 'warned' : 'WRONG-silent', result };
  return { c, outcome: warned ? 'wrong-warned' : 'WRONG-silent', result };
}

/** Did the outcome meet the case's expectation? */
function passes(s: Scored): boolean {
  switch (s.c.expect) {
    case 'apply': return s.outcome === 'exact' || s.outcome === 'exact-warned';
    case 'warn': return s.outcome === 'exact-warned';
    case 'refuse': return s.outcome === 'refused';
    case 'refuse-or-warn': return s.outcome === 'refused' || s.outcome === 'warned';
  }
}

/** First differing line of two texts, for failure messages. */
function firstDiff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `first difference at line ${i + 1}: want ${JSON.stringify(a[i] ?? '<end of file>')}, got ${JSON.stringify(b[i] ?? '<end of file>')}`;
  }
  return 'identical';
}

function describeFailure(s: Scored): string {
  const head = `${s.c.name} wants ${s.c.expect}, got ${s.outcome}. Wrong engines: ${s.c.why}`;
  if (s.error) return `${head}\n${s.error}`;
  const r = s.result;
  if (!r) return head;
  if (!r.ok) return `${head}\nreason: ${r.reason}`;
  const details = [`confidence ${r.confidence.toFixed(2)}, format ${r.format}, warnings: ${JSON.stringify(r.warnings)}`];
  if (s.c.expected !== undefined && r.text !== s.c.expected) details.push(firstDiff(s.c.expected, r.text));
  else if (s.c.expected === undefined) details.push(`applied although it should not have been; vs the original, ${firstDiff(s.c.original, r.text)}`);
  return `${head}\n${details.join('\n')}`;
}

function summary(title: string, scored: Scored[]): string {
  const outcomes: Outcome[] = ['exact', 'exact-warned', 'refused', 'warned', 'wrong-warned', 'WRONG-silent', 'threw'];
  const pad = (s: string | number, n: number): string => String(s).padEnd(n);
  const lines = [`${title}: outcomes per language (pass = met its expectation)`];
  lines.push(pad('lang', 8) + pad('cases', 7) + pad('pass', 6) + outcomes.map((o) => pad(o, 14)).join(''));
  const langs = [...new Set(scored.map((s) => s.c.lang))];
  for (const lang of [...langs, 'all']) {
    const rows = scored.filter((s) => lang === 'all' || s.c.lang === lang);
    lines.push(pad(lang, 8) + pad(rows.length, 7) + pad(rows.filter(passes).length, 6) + outcomes.map((o) => pad(rows.filter((s) => s.outcome === o).length, 14)).join(''));
  }
  lines.push('', 'per expectation');
  for (const e of ['apply', 'warn', 'refuse', 'refuse-or-warn'] as const) {
    const rows = scored.filter((s) => s.c.expect === e);
    const counts = outcomes.map((o) => [o, rows.filter((s) => s.outcome === o).length] as const).filter(([, n]) => n > 0);
    lines.push(`  ${pad(e, 15)} ${rows.length} cases, ${rows.filter(passes).length} pass: ${counts.map(([o, n]) => `${o} ${n}`).join(', ')}`);
  }
  lines.push('', 'confidence vs correct (ok results only; correct = exactly the expected file)');
  lines.push(pad('confidence', 12) + pad('correct', 10) + pad('correct+warn', 14) + pad('wrong', 8) + pad('wrong+warn', 12));
  const buckets: Array<[string, (c: number) => boolean]> = [['< 0.5', (c) => c < 0.5], ['0.5-0.8', (c) => c >= 0.5 && c < 0.8], ['>= 0.8', (c) => c >= 0.8]];
  for (const [label, inBucket] of buckets) {
    const rows = scored.filter((s) => s.result?.ok === true && inBucket(s.result.confidence));
    const count = (correct: boolean, warned: boolean): number =>
      rows.filter((s) => (s.outcome === 'exact' || s.outcome === 'exact-warned') === correct && (s.result?.ok === true && s.result.warnings.length > 0) === warned).length;
    lines.push(pad(label, 12) + pad(count(true, false), 10) + pad(count(true, true), 14) + pad(count(false, false), 8) + pad(count(false, true), 12));
  }
  const failing = scored.filter((s) => !passes(s));
  if (failing.length > 0) lines.push('', 'failing cases:', ...failing.map((s) => `  ${pad(s.c.name, 52)} expected ${pad(s.c.expect, 15)} got ${s.outcome}`));
  return lines.join('\n');
}

export interface RealisticSet {
  /** Directory name under test/fixtures, e.g. 'edits-realistic'. */
  fixtures: string;
  /** Short name printed above the summary table. */
  title: string;
  minCases: number;
  /** Case-name prefixes (languages) that must each have at least `minPerLanguage` cases. */
  languages: string[];
  minPerLanguage: number;
}

/** Defines one mocha suite for a set: a case count check, one test per case, and the aggregate issue targets. */
export function describeRealisticSet(set: RealisticSet): void {
  describe(`edits: ${set.title} (test/fixtures/${set.fixtures})`, function () {
    const cases = readCases(path.join(repoRoot(), 'test', 'fixtures', set.fixtures));
    const scored: Scored[] = [];

    before(async function () {
      this.timeout(30000);
      // The engine's own parsers: loaded here so the set scores the same run alone as in the whole unit suite.
      await loadTestSyntax();
      await initSyntax();
    });

    it(`has enough cases (≥ ${set.minCases}, ≥ ${set.minPerLanguage} per language)`, () => {
      assert.ok(cases.length >= set.minCases, `${cases.length} cases`);
      for (const lang of set.languages) {
        const n = cases.filter((c) => c.lang === lang).length;
        assert.ok(n >= set.minPerLanguage, `${lang}: ${n} cases`);
      }
    });

    for (const c of cases) {
      it(c.name, () => {
        if (c.expect === 'apply' || c.expect === 'warn') {
          assert.ok(c.expected !== undefined, `${c.name}: an ${c.expect} case needs an expected file`);
          assert.deepEqual(syntaxProblems(c.path, c.expected), [], `${c.name}: the expected file does not parse`);
        }
        const s = run(c);
        scored.push(s);
        if (!passes(s)) assert.fail(describeFailure(s));
      });
    }

    it('meets the issue targets over the whole set', () => {
      assert.equal(scored.length, cases.length, 'every case ran');
      console.log(summary(set.title, scored));
      const applyCases = scored.filter((s) => s.c.expect === 'apply');
      const exact = applyCases.filter(passes).length;
      const wrongSilent = scored.filter((s) => s.outcome === 'WRONG-silent').map((s) => s.c.name);
      const confidentWrong = scored
        .filter((s) => s.result?.ok === true && s.result.confidence >= 0.8 && s.result.warnings.length === 0 && s.outcome !== 'exact')
        .map((s) => s.c.name);
      const unrefused = scored.filter((s) => s.c.expect === 'refuse' && s.outcome !== 'refused').map((s) => s.c.name);
      const problems: string[] = [];
      if (exact < Math.ceil(0.95 * applyCases.length)) problems.push(`apply cases exact: ${exact}/${applyCases.length} (target ≥ 95 %)`);
      if (unrefused.length > 0) problems.push(`refuse cases not refused: ${unrefused.join(', ')}`);
      if (wrongSilent.length > 0) problems.push(`wrong results without a warning: ${wrongSilent.join(', ')}`);
      if (confidentWrong.length > 0) problems.push(`wrong results at confidence ≥ 0.8 without a warning: ${confidentWrong.join(', ')}`);
      assert.deepEqual(problems, []);
    });
  });
}
