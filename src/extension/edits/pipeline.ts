/**
 * Editor tasks without any UI: gather context → pack the prompt within the model's budget (estimate, then the
 * engine's tokenizer) → one chat turn (the reasoning streams into the panel through the chat) → the answer (never
 * the reasoning) through the proposal gate. Also the bounded follow-up turn: one more turn in the SAME chat (the
 * engine reuses its KV cache for the shared prefix) whose answer goes through the same gate. The UI around these
 * (progress, revealing the panel, notifications) lives in tasks.ts; a repair loop can call them directly.
 */
import * as vscode from 'vscode';
import { buildTaskPrompt, estimateTokens, fenceLang, lineSpan, promptBudget, testFilePath, type BuiltPrompt, type EditorContext, type TaskKind, type TokenCounter } from '../../core/context';
import { applyModelEdit, prepareEdit } from '../../core/edits/engine';
import type { FinishedTurn } from '../chat/chat-controller';
import type { PonderContext } from '../context';
import { log } from '../log';
import { gatherEditorContext } from './editor-context';
import { gateAnswer, type AnswerSource, type EditTarget, type GateDeps, type GateResult, type RedoTicket } from './gate';
import type { Proposal } from './proposals';
import type { TaskArgs } from './task-args';
import { checkEditable } from './workspace-guard';

export interface PipelineDeps extends GateDeps {
  readonly ctx: Pick<PonderContext, 'engine' | 'chat' | 'config'>;
  /** A slice of the repository map for this context (after its definitions; cut first), if the budget allows. */
  readonly repoMapSlice?: (context: EditorContext) => Promise<string | undefined>;
}

/** Called by the pipeline as it goes, so a UI can follow (all optional). */
export interface PipelineHooks {
  /** The prompt is built; the model is asked next. `label` says what is being done ("Fix `add` in src/math.ts"). */
  beforeModel?(label: string): Promise<void> | void;
}

export type PipelineResult =
  | { readonly ok: true; readonly proposal?: Proposal; readonly hunks?: number; readonly turnId?: string; readonly redo?: RedoTicket }
  | { readonly ok: false; readonly reason: string; readonly turnId?: string; readonly redo?: RedoTicket };

export const VERB: Readonly<Record<TaskKind, string>> = { explain: 'Explain', fix: 'Fix', refactor: 'Refactor', edit: 'Edit', tests: 'Tests for' };

/** Packs with an estimate scaled by what the engine's tokenizer reports, until the counted prompt fits. */
async function fitPrompt(deps: PipelineDeps, task: TaskKind, context: EditorContext, extra: { instructions?: string; testPath?: string; testFileExists?: boolean; repoMap?: string }): Promise<BuiltPrompt> {
  const { engine, config } = deps.ctx;
  const client = await engine.ready();
  const status = await client.status();
  const contextSize = status.engine?.contextSize ?? (config.contextSize || 4096);
  // Earlier chat turns need no room here: the chat drops its oldest turns to fit a new prompt.
  let scale = 1;
  let last: BuiltPrompt = { ok: false, reason: 'not packed' };
  for (let attempt = 0; attempt < 4; attempt++) {
    const count: TokenCounter = (t) => Math.ceil(estimateTokens(t) * scale);
    const budget = promptBudget({ contextSize, targetTokens: count(context.target.text), maxThinkingTokens: config.maxThinkingTokens, task });
    last = buildTaskPrompt({ task, context, ...extra }, budget, count);
    if (!last.ok) break;
    const real = (await client.countTokens(last.prompt)).tokens;
    if (real <= budget) return { ...last, tokens: real };
    scale *= (real / Math.max(1, last.tokens)) * 1.05;
  }
  return last.ok ? { ok: false, reason: 'The code and its context do not fit in the model\'s context. Select a smaller block, or raise `ponder.contextSize`.' } : last;
}

/** "mean()", "User" or "lines 3–7": plain text, because notifications, CodeLens titles and the chat show it verbatim (no markdown). */
function targetName(t: EditorContext['target']): string {
  if (t.kind !== 'symbol' || !t.symbolName) return lineSpan(t.startLine, t.endLine);
  return ['function', 'method', 'constructor'].includes(t.symbolKind ?? '') ? `${t.symbolName}()` : t.symbolName;
}

function describe(task: TaskKind, c: EditorContext, p: Extract<BuiltPrompt, { ok: true }>): string {
  const what = targetName(c.target);
  const chips = [
    c.diagnostics.length ? `${c.diagnostics.length} problem${c.diagnostics.length > 1 ? 's' : ''}` : '',
    c.definitions.length ? `${c.definitions.length} definition${c.definitions.length > 1 ? 's' : ''}` : '',
    p.truncated.length || p.omitted.length ? 'context trimmed to fit' : '',
  ].filter(Boolean);
  return `${VERB[task]} ${what} in ${c.path}${chips.length ? ` · ${chips.join(' · ')}` : ''}`;
}

/** Why a finished turn has no answer to use, if it has none. */
function turnProblem(turn: FinishedTurn, what: string): string | undefined {
  const o = turn.outcome;
  if (o.stopReason === 'aborted') return `Stopped: no ${what} was made.`;
  if (o.stopReason === 'error') return o.error ?? 'The model failed; see Ponder: Show Logs.';
  if (o.stopReason === 'maxTokens') return `The model ran out of room before finishing its answer: no ${what}. Select a smaller block or raise \`ponder.contextSize\`.`;
  return undefined;
}

/** One editor task on `doc`, start to proposal. Nothing is written; nothing is shown except through `hooks`. */
export async function runTaskPipeline(deps: PipelineDeps, task: TaskKind, doc: vscode.TextDocument, args: TaskArgs, signal: AbortSignal, hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const guard = checkEditable(doc.uri);
  if (task !== 'explain' && !guard.ok) return { ok: false, reason: guard.reason };
  const relPath = guard.ok ? guard.relPath : vscode.workspace.asRelativePath(doc.uri, false);
  if (doc.getText().trim() === '') return { ok: false, reason: `${relPath} is empty: there is no code to ${task === 'tests' ? 'test' : task}.` };
  const r = args.range;
  const range = r ? new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter) : undefined;
  const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
  const selection = args.selection && range ? range : !r && editor && !editor.selection.isEmpty ? editor.selection : undefined;
  const position = range?.start ?? editor?.selection.active ?? new vscode.Position(0, 0);
  const { context } = await gatherEditorContext({ doc, selection, position: doc.validatePosition(position), focus: args.focus, relPath });

  let testUri: vscode.Uri | undefined;
  let testExisting: string | undefined;
  if (task === 'tests') {
    testUri = vscode.Uri.joinPath(doc.uri, '..', testFilePath(relPath).split('/').pop() ?? 'test');
    const testGuard = checkEditable(testUri);
    if (!testGuard.ok) return { ok: false, reason: testGuard.reason };
    testExisting = await vscode.workspace.fs.readFile(testUri).then((b) => new TextDecoder().decode(b), () => undefined);
  }
  const testPath = testUri ? vscode.workspace.asRelativePath(testUri, false) : undefined;

  let built: BuiltPrompt;
  try {
    const repoMap = await deps.repoMapSlice?.(context);
    built = await fitPrompt(deps, task, context, { instructions: args.instructions, testPath, testFileExists: testExisting !== undefined, repoMap });
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (!built.ok) return built;
  if (signal.aborted) return { ok: false, reason: 'Stopped: no proposal was made.' };
  log.info(`${VERB[task]} ${context.path} ${lineSpan(context.target.startLine, context.target.endLine)}: prompt ${built.tokens} tokens${built.truncated.length ? `; cut: ${built.truncated.join(', ')}` : ''}${built.omitted.length ? `; left out: ${built.omitted.join(', ')}` : ''}.`);

  const label = describe(task, context, built);
  await hooks.beforeModel?.(label);
  // Parse the file while the model thinks, so the gate only re-parses what the answer changes.
  void deps.beforeApply?.().then(() => prepareEdit(doc.getText(), { path: relPath })).catch(() => undefined);
  // awaited: an edit task's turn runs to its end even when no window shows it (the proposal waits for the user).
  // Prompt lookup for the tasks whose answer rewrites the code in the prompt (an explanation copies little of it).
  const turn = await deps.ctx.chat.send(built.prompt, label, signal, { awaited: true, promptLookup: task !== 'explain' });
  const problem = turnProblem(turn, 'proposal');
  if (problem && !(task === 'explain' && turn.outcome.stopReason === 'maxTokens')) return { ok: false, reason: problem, turnId: turn.id };
  if (task === 'explain') return { ok: true, turnId: turn.id };
  const source: AnswerSource = { turnId: turn.id, reasoning: turn.reasoning };

  // Only the answer reaches the edit engine; the reasoning never does.
  if (task === 'tests' && testUri && testPath) {
    await deps.beforeApply?.();
    const tests = applyModelEdit('', turn.answer, { path: testPath });
    if (!tests.ok) return { ok: false, reason: `Ponder's answer has no usable tests (${tests.reason}). The answer is in the Ponder panel.`, turnId: turn.id };
    const base = testExisting ?? '';
    const proposed = testExisting === undefined ? tests.text : `${base.replace(/\s*$/, '')}\n\n${tests.text}`;
    const p = deps.store.add({
      uri: testUri, relPath: testPath, label: `tests for ${context.target.symbolName ?? context.path}`, createsFile: testExisting === undefined,
      format: tests.format, confidence: tests.confidence, base, proposed, source, warnings: tests.warnings,
    });
    return { ok: true, proposal: p, hunks: deps.store.view(p).ok ? 1 : 0, turnId: turn.id };
  }
  const t = context.target;
  const what = targetName(t);
  const target: EditTarget = {
    uri: doc.uri, relPath, range: { startLine: t.startLine, endLine: t.endLine }, where: selection ? 'the selection' : what,
    task, label: `${VERB[task].toLowerCase()} ${what}`, lang: fenceLang(doc.languageId),
    intent: { target: task === 'fix' && args.focus ? { line: args.focus.line, message: args.focus.message } : undefined, symbol: t.symbolName },
  };
  return withTurn(await gateAnswer(deps, target, turn.answer, source), turn.id);
}

function withTurn(r: GateResult, turnId: string): PipelineResult {
  return r.ok ? { ok: true, proposal: r.proposal, hunks: r.hunks, turnId, redo: r.redo } : { ok: false, reason: r.reason, turnId, redo: r.redo };
}

export interface FollowUp {
  /** A turn that must still be in the current chat: the follow-up continues that conversation (KV cache reuse). */
  readonly afterTurnId: string;
  /** Sent to the model as the next user message. */
  readonly prompt: string;
  /** Shown in the panel as this turn's user message. */
  readonly display: string;
  /** Where the answer goes: the same gate as the first answer. */
  readonly target: EditTarget;
  /** Which follow-up round this is (1 for the first); tickets from its answer carry it, so the rounds stay bounded. */
  readonly round: number;
}

/** One more turn in the same chat; its answer goes through the proposal gate. Cancellable with `signal`. */
export async function followUpTurn(deps: PipelineDeps, f: FollowUp, signal: AbortSignal): Promise<PipelineResult> {
  const { chat } = deps.ctx;
  if (!chat.snapshot().some((t) => t.id === f.afterTurnId)) {
    return { ok: false, reason: 'The chat with that answer is no longer open, so Ponder cannot continue it. Reopen it with "Ponder: Open Chat…" or ask again.' };
  }
  if (signal.aborted) return { ok: false, reason: 'Stopped: no proposal was made.' };
  const turn = await chat.send(f.prompt, f.display, signal, { awaited: true, promptLookup: true });
  const problem = turnProblem(turn, 'proposal');
  if (problem) return { ok: false, reason: problem, turnId: turn.id };
  return withTurn(await gateAnswer(deps, f.target, turn.answer, { turnId: turn.id, reasoning: turn.reasoning }, f.round), turn.id);
}
