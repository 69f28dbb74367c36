/** Shapes shared by verification: a problem as the host reports it, and what a verification concluded. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One diagnostic, stripped to what comparison needs. Lines and characters are 0-based. */
export interface Problem {
  readonly message: string;
  readonly code?: string;
  readonly source?: string;
  readonly severity: Severity;
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
}

/** The problem a Fix was asked to fix (the diagnostic under the cursor). */
export interface FixTarget {
  readonly line: number;
  readonly message: string;
}

/** What happened to the Fix target. `unknown`: it was not among the file's diagnostics before the write. */
export type TargetStatus = 'gone' | 'stays' | 'moved' | 'unknown';

/** The test command's result, as captured by the host. */
export interface TestRun {
  readonly status: 'passed' | 'failed' | 'timedOut' | 'stopped' | 'error';
  readonly exitCode?: number;
  readonly ms: number;
  /** The last lines of its output (ANSI stripped). */
  readonly tail: string;
  readonly command: string;
}
