/** Editor context for model requests: packing within a token budget, task prompts, re-anchoring proposals. */
export type { ContextDefinition, ContextDiagnostic, EditorContext, Severity, TargetBlock, TaskKind, TokenCounter } from './types';
export { estimateTokens, promptBudget, answerReserve, TEMPLATE_OVERHEAD } from './tokens';
export { packSections, omittedNote, type PackResult, type Section } from './pack';
export { buildTaskPrompt, fenced, fenceLang, lineSpan, type BuiltPrompt, type TaskRequest } from './prompt';
export { findHeaderEnd, identifiersIn, type Identifier } from './source';
export { reanchor, type Reanchored } from './anchor';
export { testFilePath } from './test-path';
