/**
 * Problems that appeared in other files while an edit was checked (a changed export breaking a caller, say). They are
 * reported beside the verification line, never counted for or against "Fixed": another file's diagnostics can change
 * for reasons the edit has nothing to do with, and a Fix is judged on the file it changed.
 */
import { counts } from './compare';
import type { Problem } from './types';

export interface FileProblems {
  readonly relPath: string;
  readonly problems: readonly Problem[];
}

export interface ElsewhereProblem {
  readonly relPath: string;
  readonly problem: Problem;
}

// Lines are left out on purpose: the edit did not touch these files, but the user may have (shifting everything).
const key = (p: Problem): string => `${p.severity}\u0000${p.source ?? ''}\u0000${p.code ?? ''}\u0000${p.message}`;

/**
 * New errors and warnings per file (after minus before, as multisets by message/code/source/severity), for every file
 * not in `exclude` (the files the edit wrote, which the main comparison covers). Sorted by path, then line.
 */
export function newProblemsElsewhere(before: readonly FileProblems[], after: readonly FileProblems[], exclude: ReadonlySet<string>): ElsewhereProblem[] {
  const had = new Map<string, Map<string, number>>();
  for (const f of before) {
    const m = had.get(f.relPath) ?? new Map<string, number>();
    for (const p of f.problems.filter(counts)) m.set(key(p), (m.get(key(p)) ?? 0) + 1);
    had.set(f.relPath, m);
  }
  const out: ElsewhereProblem[] = [];
  for (const f of after) {
    if (exclude.has(f.relPath)) continue;
    const left = new Map(had.get(f.relPath) ?? []);
    for (const p of [...f.problems].filter(counts).sort((a, b) => a.line - b.line || a.character - b.character)) {
      const n = left.get(key(p)) ?? 0;
      if (n > 0) left.set(key(p), n - 1);
      else out.push({ relPath: f.relPath, problem: p });
    }
  }
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : a.problem.line - b.problem.line));
}
