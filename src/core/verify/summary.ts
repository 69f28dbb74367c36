/**
 * The one verification line the user reads in the chat turn that produced the edit: "✓ Fixed: `…` is gone · no new
 * problems · tests passed in 3.2 s", "✗ 2 new problems: …", or "Not verified: …". Only a checked file can say
 * Fixed or "no new problems".
 */
import type { Comparison } from './compare';
import type { Problem, TestRun } from './types';

export type VerificationState = 'running' | 'fixed' | 'clean' | 'failed' | 'notVerified';

export interface Summary {
  readonly state: VerificationState;
  readonly text: string;
  /** Problems the repair turn should address (new ones near the change, and a Fix target that stayed). */
  readonly problems: readonly Problem[];
}

export interface SummaryInput {
  readonly relPath: string;
  /** Undefined when the file was not checked. */
  readonly comparison?: Comparison;
  /** Why the file was not checked (shown after "Not verified:"). */
  readonly notChecked?: string;
  readonly test?: TestRun;
  /** Why the test command did not run, when it is configured (e.g. "tests not run: this workspace is not trusted"). */
  readonly testNote?: string;
  /** New errors in files the edit did not touch, at the same time. */
  readonly otherFiles?: readonly { readonly relPath: string; readonly problem: Problem }[];
}

const MAX_LISTED = 3;
const oneLine = (s: string, max = 90) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const code = (s: string) => `\`${oneLine(s).replace(/`/g, "'")}\``;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function listProblems(ps: readonly Problem[]): string {
  const shown = ps.slice(0, MAX_LISTED).map((p) => `${code(p.message)} (line ${p.line + 1})`);
  return shown.join(', ') + (ps.length > MAX_LISTED ? `, and ${ps.length - MAX_LISTED} more` : '');
}

function testPart(t: TestRun): { ok: boolean; text: string } {
  switch (t.status) {
    case 'passed': return { ok: true, text: `tests passed in ${seconds(t.ms)}` };
    case 'failed': return { ok: false, text: `tests failed (exit ${t.exitCode ?? '?'}) in ${seconds(t.ms)}` };
    case 'timedOut': return { ok: false, text: `tests timed out after ${seconds(t.ms)}` };
    case 'stopped': return { ok: false, text: 'tests stopped' };
    case 'error': return { ok: false, text: `the test command could not run: ${oneLine(t.tail, 120)}` };
  }
}

export function summarize(input: SummaryInput): Summary {
  const test = input.test && testPart(input.test);
  const c = input.comparison;
  if (!c) {
    const parts = [`Not verified: ${input.notChecked ?? `no language service reported on ${input.relPath}`}`];
    if (test) parts.push(test.text);
    if (input.testNote) parts.push(input.testNote);
    return { state: test && !test.ok ? 'failed' : 'notVerified', text: `${test && !test.ok ? '✗' : '?'} ${parts.join(' · ')}`, problems: [] };
  }
  const failures: string[] = [];
  const problems: Problem[] = [...c.newProblems];
  if (c.newProblems.length) failures.push(`${plural(c.newProblems.length, 'new problem')}: ${listProblems(c.newProblems)}`);
  const t = c.target;
  if (t?.status === 'stays') failures.push(`${code(t.message)} is still there${t.line !== undefined ? ` (line ${t.line + 1})` : ''}`);
  if (t?.status === 'moved') failures.push(`${code(t.message)} reappears on line ${(t.line ?? 0) + 1}`);
  if ((t?.status === 'stays' || t?.status === 'moved') && t.line !== undefined) problems.push({ message: t.message, severity: 'error', line: t.line, character: 0, endLine: t.line });
  if (test && !test.ok) failures.push(test.text);

  const notes: string[] = input.testNote ? [input.testNote] : [];
  if (c.elsewhere.length) notes.push(`${plural(c.elsewhere.length, 'new problem')} elsewhere in ${input.relPath}: ${listProblems(c.elsewhere)}`);
  const others = input.otherFiles ?? [];
  if (others.length) {
    // Its own part, never counted for or against "Fixed": the first few with file and line, so the user can go there.
    const shown = others.slice(0, MAX_LISTED).map((o) => `${o.relPath}:${o.problem.line + 1} ${code(o.problem.message)}`);
    notes.push(`elsewhere: ${plural(others.length, 'new problem')} in other files: ${shown.join(', ')}${others.length > MAX_LISTED ? `, and ${others.length - MAX_LISTED} more` : ''}`);
  }
  if (failures.length) return { state: 'failed', text: `✗ ${[...failures, ...notes].join(' · ')}`, problems };

  const head = t?.status === 'gone' ? [`Fixed: ${code(t.message)} is gone`, 'no new problems'] : ['No new problems'];
  if (test) head.push(test.text);
  return { state: t?.status === 'gone' ? 'fixed' : 'clean', text: `✓ ${[...head, ...notes].join(' · ')}`, problems };
}
