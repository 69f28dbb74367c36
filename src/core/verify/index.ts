/** Verification after Apply and repair turns: pure parts (no vscode, no I/O). */
export * from './types';
export { compareDiagnostics, counts, distanceToChange, lineChanges, mapLine, type Comparison, type CompareInput, type LineChange } from './compare';
export { checkState, type CheckState, type CheckTiming, type Observed } from './checked';
export { cmdQuote, expandCommand, outputTail, shellQuote, type CommandVars, type Expanded } from './command';
export { listProblems, summarize, type Summary, type SummaryInput, type VerificationState } from './summary';
export { appliedDiff, buildRepairPrompt, type RepairInput } from './repair-prompt';
export { planUndo, type UndoPlan } from './undo';
export { newProblemsElsewhere, type ElsewhereProblem, type FileProblems } from './elsewhere';
