/**
 * The shared edit corpus (../shared/corpus/edits.jsonl): 120 cases mined from Aider, Cline, Roo Code, Continue and
 * Codex test suites. Scored here: the 89 cases that are model text to apply — kind `apply` (75) or `reject` (14),
 * excluding Continue's tool-call JSON cases (`continue-findreplace-*`, 9 apply + 2 reject) and the `parse`,
 * `locate` and `apply-partial` kinds (checked separately below, unscored).
 *
 * Options mapping: `path` → options.path; Roo's `options.start_line` (1-based line hint the tool passes beside the
 * diff) → options.range on that line (0-based), which SEARCH/REPLACE uses only to choose among equal matches.
 *
 * Policy differences (corpus README "Policy differences"), scored as documented here rather than as the source
 * tool's rule:
 *  - aider-editblock-15/16: Aider replaces the first of two identical matches. We refuse ambiguous SEARCH text;
 *    the brief counts that refusal as acceptable, so they score as correct outcomes (not as applied).
 *  - cline-diff-21/22: the originals end without a newline and Cline's expected text adds one. We preserve the
 *    absence of a final newline (the brief's rule, and what roo-msr-07/08/17/21 expect); the result equals the
 *    expected text minus that newline. Scored as failures, not as silent wrong edits.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyModelEdit, type ApplyOptions } from '../../../src/core/edits/index';
import { parseSearchReplace } from '../../../src/core/edits/parse-search-replace';
import { corpusDir } from '../../support/paths';

interface Case {
  id: string;
  kind: string;
  path: string | null;
  original: string | null;
  response: string;
  expected: string | null;
  options?: Record<string, unknown> | null;
  other_files?: Array<{ path: string; original: string | null; expected: string }>;
  expected_edits?: Array<Array<string | null>> | null;
  expected_contains?: string[];
}

type Policy = 'refuse-ambiguous' | 'final-newline';
const POLICY: Record<string, Policy> = {
  'aider-editblock-15': 'refuse-ambiguous',
  'aider-editblock-16': 'refuse-ambiguous',
  'cline-diff-21': 'final-newline',
  'cline-diff-22': 'final-newline',
};

/** edits.jsonl beside the repository (../shared/corpus), or $PONDER_CORPUS; see test/support/paths. */
function corpusFile(): string | undefined {
  const dir = corpusDir();
  return dir && existsSync(path.join(dir, 'edits.jsonl')) ? path.join(dir, 'edits.jsonl') : undefined;
}

function optionsFor(c: Case, filePath = c.path): ApplyOptions {
  const o: ApplyOptions = {};
  if (filePath) o.path = filePath;
  const start = c.options?.start_line;
  if (typeof start === 'number') o.range = { startLine: start - 1, endLine: start - 1 };
  return o;
}

const file = corpusFile();
const all: Case[] = file ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Case) : [];
const scored = all.filter((c) => (c.kind === 'apply' || c.kind === 'reject') && !c.id.startsWith('continue-findreplace'));

describe('edit corpus (../shared/corpus/edits.jsonl)', function () {
  before(function () {
    if (!file) {
      console.log('    (skipped: edits.jsonl not found — set PONDER_CORPUS or put the corpus in ../shared/corpus next to the repository)');
      this.skip();
    }
  });

  describe('scored cases', () => {
    for (const c of scored) {
      it(`${c.id} (${c.kind}${POLICY[c.id] ? `, policy: ${POLICY[c.id]}` : ''})`, () => {
        const res = applyModelEdit(c.original ?? '', c.response, optionsFor(c));
        if (c.kind === 'reject') {
          assert.equal(res.ok, false, 'must be refused');
          return;
        }
        const policy = POLICY[c.id];
        if (policy === 'refuse-ambiguous') {
          assert.ok(!res.ok && /occurs \d+ times|several places/.test(res.reason), `expected an ambiguity refusal, got ${JSON.stringify(res)}`);
          return;
        }
        assert.ok(res.ok, `refused: ${res.ok ? '' : res.reason}`);
        if (policy === 'final-newline') {
          assert.ok(!(c.original ?? '').endsWith('\n') && c.expected?.endsWith('\n'));
          assert.equal(res.text, c.expected?.slice(0, -1));
          return;
        }
        assert.equal(res.text, c.expected);
        for (const o of c.other_files ?? []) {
          const other = applyModelEdit(o.original ?? '', c.response, optionsFor(c, o.path));
          assert.equal(other.ok ? other.text : o.original ?? '', o.expected, `other file ${o.path}`);
        }
      });
    }

    it('summary: ≥ 72/75 apply cases correct, 14/14 refused, zero silent wrong edits', function () {
      const apply = scored.filter((c) => c.kind === 'apply');
      const reject = scored.filter((c) => c.kind === 'reject');
      let exact = 0;
      let acceptableRefusals = 0;
      let newlinePolicy = 0;
      const silentWrong: string[] = [];
      const failed: string[] = [];
      for (const c of apply) {
        const r = applyModelEdit(c.original ?? '', c.response, optionsFor(c));
        if (r.ok && r.text === c.expected) exact++;
        else if (!r.ok && POLICY[c.id] === 'refuse-ambiguous') acceptableRefusals++;
        else if (r.ok && POLICY[c.id] === 'final-newline' && r.text + '\n' === c.expected) {
          newlinePolicy++;
          failed.push(`${c.id} (final newline preserved)`);
        } else if (r.ok) silentWrong.push(c.id);
        else failed.push(`${c.id} (refused: ${r.reason})`);
      }
      const refused = reject.filter((c) => !applyModelEdit(c.original ?? '', c.response, optionsFor(c)).ok).length;
      for (const c of reject) if (applyModelEdit(c.original ?? '', c.response, optionsFor(c)).ok) silentWrong.push(c.id);
      console.log(
        `      corpus score: ${exact}/${apply.length} applied exactly + ${acceptableRefusals} acceptable ambiguity refusals = ${exact + acceptableRefusals}/${apply.length}; ` +
          `${refused}/${reject.length} refused; silent wrong edits: ${silentWrong.length} (final-newline policy deviations: ${newlinePolicy})` +
          (failed.length ? `\n      not applied as expected: ${failed.join('; ')}` : ''),
      );
      assert.equal(apply.length, 75);
      assert.equal(reject.length, 14);
      assert.deepEqual(silentWrong, []);
      assert.equal(refused, 14);
      assert.ok(exact + acceptableRefusals >= 72, `only ${exact + acceptableRefusals} of 75`);
      assert.ok(failed.length <= 3, `not applied: ${failed.join('; ')}`);
    });
  });

  describe('unscored cases', () => {
    it('Aider parse cases: SEARCH/REPLACE blocks split as the test asserts', () => {
      const cases = all.filter((c) => c.kind === 'parse' && c.id.startsWith('aider-editblock'));
      assert.ok(cases.length >= 10);
      for (const c of cases) {
        const p = parseSearchReplace(c.response.replace(/\r\n?/g, '\n').split('\n'));
        if (!c.expected_edits) {
          assert.ok(p.ok, `${c.id} must parse`);
          continue;
        }
        assert.ok(p.ok, `${c.id}: ${p.ok ? '' : p.reason}`);
        const got = p.blocks.map((b) => [b.path ?? null, b.search.length ? b.search.join('\n') + '\n' : '', b.replace.length ? b.replace.join('\n') + '\n' : '']);
        assert.equal(got.length, c.expected_edits.length, c.id);
        c.expected_edits.forEach((e, i) => e.forEach((x, k) => x === null || assert.equal(got[i][k], x, `${c.id} edit ${i} field ${k}`)));
      }
    });

    it('Cline freeform apply-patch (apply-partial): result contains the added line', () => {
      for (const c of all.filter((x) => x.kind === 'apply-partial')) {
        const r = applyModelEdit(c.original ?? '', c.response, optionsFor(c));
        assert.ok(r.ok, c.id);
        for (const s of c.expected_contains ?? []) assert.ok(r.text.includes(s), `${c.id} contains ${s}`);
      }
    });

    it("Continue's tool-call JSON (continue-findreplace) is not model text: refused, never misapplied", () => {
      for (const c of all.filter((x) => x.id.startsWith('continue-findreplace'))) {
        const r = applyModelEdit(c.original ?? '', c.response, optionsFor(c));
        assert.ok(!r.ok || r.text === c.expected, c.id);
      }
    });
  });
});
