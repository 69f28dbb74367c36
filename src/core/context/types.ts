/** What the host gathers from the editor for one request; pure data, so packing and prompts are testable without VS Code. */

export type TaskKind = 'explain' | 'fix' | 'refactor' | 'edit' | 'tests';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface ContextDiagnostic {
  /** 0-based line of the diagnostic's start. */
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
  readonly source?: string;
  readonly code?: string;
}

export interface ContextDefinition {
  /** The identifier used in the target. */
  readonly name: string;
  /** Workspace-relative path (or a short outside path, e.g. a library's .d.ts). */
  readonly path: string;
  /** 0-based first line of `text` in its file. */
  readonly line: number;
  readonly text: string;
  /** Lines dropped by the gatherer's own per-definition cap (shown with a marker). */
  readonly cutLines?: number;
  readonly inWorkspace: boolean;
}

export interface TargetBlock {
  /** 0-based, inclusive, whole lines. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  /** How the block was chosen: the user's selection, the enclosing symbol, or lines around the cursor. */
  readonly kind: 'selection' | 'symbol' | 'lines';
  readonly symbolName?: string;
  /** e.g. "function", "method", "class". */
  readonly symbolKind?: string;
}

export interface EditorContext {
  /** Workspace-relative path with forward slashes. */
  readonly path: string;
  readonly languageId: string;
  readonly target: TargetBlock;
  /** The file's imports / leading comments, if any and not inside the target. */
  readonly header?: { readonly endLine: number; readonly text: string };
  /** In and near the target, most important first. */
  readonly diagnostics: readonly ContextDiagnostic[];
  /** In the order their names first appear in the target; workspace definitions before library ones. */
  readonly definitions: readonly ContextDefinition[];
}

/** Counts tokens of a text (the engine's tokenizer through a cache, or an estimate). */
export type TokenCounter = (text: string) => number;
