/**
 * The follow-up prompt of a repair turn, sent in the same chat as the edit it repairs: the change as applied (a
 * unified diff), the problems with their lines as they are now, and the test output tail, then the same answer
 * format the first turn asked for.
 */
import { createTwoFilesPatch } from 'diff';
import { normalizeNewlines } from '../edits/text';
import type { Problem, TestRun } from './types';

export interface RepairInput {
  readonly relPath: string;
  /** The file before Ponder's first Apply of this fix, and now. */
  readonly before: string;
  readonly after: string;
  readonly problems: readonly Problem[];
  readonly test?: TestRun;
  /** 1-based repair round, for the prompt's own wording. */
  readonly round: number;
}

const MAX_DIFF = 12_000;

export function appliedDiff(relPath: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${relPath}`, `b/${relPath}`, normalizeNewlines(before), normalizeNewlines(after), undefined, undefined, { context: 3 });
  const body = patch.split('\n').filter((l) => !l.startsWith('====')).join('\n').trimEnd();
  return body.length > MAX_DIFF ? `${body.slice(0, MAX_DIFF)}\n… (diff cut)` : body;
}

export function buildRepairPrompt(r: RepairInput): string {
  const lines = normalizeNewlines(r.after).split('\n');
  const parts = [
    `Your change to ${r.relPath} was applied, but checking it found problems${r.round > 1 ? ` (repair round ${r.round})` : ''}.`,
    '',
    'The change as applied:',
    '```diff',
    appliedDiff(r.relPath, r.before, r.after),
    '```',
  ];
  if (r.problems.length) {
    parts.push('', `Problems in ${r.relPath} now:`);
    for (const p of r.problems.slice(0, 20)) {
      const where = `line ${p.line + 1}`;
      const codeTag = p.code ? ` [${p.source ? `${p.source} ` : ''}${p.code}]` : '';
      parts.push(`- ${where}: ${p.message.replace(/\s+/g, ' ').trim()}${codeTag}`);
      const text = lines[p.line];
      if (text !== undefined) parts.push(`    ${p.line + 1} | ${text}`);
    }
  }
  if (r.test && r.test.status !== 'passed') {
    const what = r.test.status === 'timedOut' ? 'timed out' : r.test.status === 'failed' ? `failed (exit code ${r.test.exitCode ?? '?'})` : 'did not complete';
    parts.push('', `The test command \`${r.test.command}\` ${what}. The last lines of its output:`, '```text', r.test.tail, '```');
  }
  parts.push(
    '',
    `Fix these problems without undoing the intent of the change. Answer with the corrected code of ${r.relPath} in one fenced code block`,
    '(the whole changed function or class is enough; keep everything else as it is).',
  );
  return parts.join('\n');
}
