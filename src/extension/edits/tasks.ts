/**
 * One editor task end to end: gather context → pack it within the model's budget (estimate, then the engine's
 * tokenizer) → the chat (so the reasoning streams into the side panel) → the answer (never the reasoning) through
 * applyModelEdit → a pending proposal. Nothing is written here.
 */
import * as vscode from 'vscode';
import { buildTaskPrompt, estimateTokens, lineSpan, promptBudget, testFilePath, type BuiltPrompt, type EditorContext, type TaskKind, type TokenCounter } from '../../core/context';
import { applyModelEdit } from '../../core/edits';
import type { PonderContext } from '../context';
import { log } from '../log';
import { gatherEditorContext } from './editor-context';
import { openPreview } from './preview';
import type { Proposal, ProposalStore } from './proposals';
import type { TaskArgs } from './task-args';
import { checkEditable } from './workspace-guard';

export type TaskResult =
  | { readonly ok: true; readonly proposalId?: string; readonly hunks?: number }
  | { readonly ok: false; readonly reason: string };

const VERB: Readonly<Record<TaskKind, string>> = { explain: 'Explain', fix: 'Fix', refactor: 'Refactor', edit: 'Edit', tests: 'Tests for' };

/** Packs with an estimate scaled by what the engine's tokenizer reports, until the counted prompt fits. */
async function fitPrompt(ctx: PonderContext, task: TaskKind, context: EditorContext, extra: { instructions?: string; testPath?: string; testFileExists?: boolean }): Promise<BuiltPrompt> {
  const client = await ctx.engine.ready();
  const status = await client.status();
  const contextSize = status.engine?.contextSize ?? (ctx.config.contextSize || 4096);
  // Earlier chat turns need no room here: the chat drops its oldest turns to fit a new prompt.
  let scale = 1;
  let last: BuiltPrompt = { ok: false, reason: 'not packed' };
  for (let attempt = 0; attempt < 4; attempt++) {
    const count: TokenCounter = (t) => Math.ceil(estimateTokens(t) * scale);
    const budget = promptBudget({ contextSize, targetTokens: count(context.target.text), maxThinkingTokens: ctx.config.maxThinkingTokens, task });
    last = buildTaskPrompt({ task, context, ...extra }, budget, count);
    if (!last.ok) break;
    const real = (await client.countTokens(last.prompt)).tokens;
    if (real <= budget) return { ...last, tokens: real };
    scale *= (real / Math.max(1, last.tokens)) * 1.05;
  }
  return last.ok ? { ok: false, reason: 'The code and its context do not fit in the model\'s context. Select a smaller block, or raise `ponder.contextSize`.' } : last;
}

function describe(task: TaskKind, c: EditorContext, p: Extract<BuiltPrompt, { ok: true }>): string {
  const t = c.target;
  const what = t.kind === 'symbol' && t.symbolName ? `\`${t.symbolName}\`` : lineSpan(t.startLine, t.endLine);
  const chips = [
    c.diagnostics.length ? `${c.diagnostics.length} problem${c.diagnostics.length > 1 ? 's' : ''}` : '',
    c.definitions.length ? `${c.definitions.length} definition${c.definitions.length > 1 ? 's' : ''}` : '',
    p.truncated.length || p.omitted.length ? 'context trimmed to fit' : '',
  ].filter(Boolean);
  return `${VERB[task]} ${what} in ${c.path}${chips.length ? ` · ${chips.join(' · ')}` : ''}`;
}

export async function runTask(ctx: PonderContext, store: ProposalStore, task: TaskKind, doc: vscode.TextDocument, args: TaskArgs): Promise<TaskResult> {
  const guard = checkEditable(doc.uri);
  if (task !== 'explain' && !guard.ok) return { ok: false, reason: guard.reason };
  const relPath = guard.ok ? guard.relPath : vscode.workspace.asRelativePath(doc.uri, false);
  if (doc.getText().trim() === '') return { ok: false, reason: `${relPath} is empty: there is no code to ${task === 'tests' ? 'test' : task}.` };
  const r = args.range;
  const range = r ? new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter) : undefined;
  const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
  const selection = args.selection && range ? range : !r && editor && !editor.selection.isEmpty ? editor.selection : undefined;
  const position = range?.start ?? editor?.selection.active ?? new vscode.Position(0, 0);
  const gathered = await gatherEditorContext({ doc, selection, position: doc.validatePosition(position), focus: args.focus, relPath });
  const { context, original } = gathered;

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
    built = await fitPrompt(ctx, task, context, { instructions: args.instructions, testPath, testFileExists: testExisting !== undefined });
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (!built.ok) return built;
  log.info(`${VERB[task]} ${context.path} ${lineSpan(context.target.startLine, context.target.endLine)}: prompt ${built.tokens} tokens${built.truncated.length ? `; cut: ${built.truncated.join(', ')}` : ''}${built.omitted.length ? `; left out: ${built.omitted.join(', ')}` : ''}.`);

  await ctx.panel.reveal(); // the reasoning streams there…
  if (editor) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false }); // …while the user stays in the code
  const label = describe(task, context, built);
  const turn = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Ponder: ${label}`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController(); // Cancel on the notification stops this turn (as Stop in the panel does)
      const sub = token.onCancellationRequested(() => abort.abort());
      return ctx.chat.send(built.prompt, label, abort.signal).finally(() => sub.dispose());
    },
  );
  const o = turn.outcome;
  if (o.stopReason === 'aborted') return { ok: false, reason: 'Stopped: no proposal was made.' };
  if (o.stopReason === 'error') return { ok: false, reason: o.error ?? 'The model failed; see Ponder: Show Logs.' };
  if (task === 'explain') return { ok: true };
  if (o.stopReason === 'maxTokens') return { ok: false, reason: 'The model ran out of room before finishing its answer: no proposal. Select a smaller block or raise `ponder.contextSize`.' };

  // Only the answer reaches the edit engine; the reasoning never does.
  if (task === 'tests' && testUri && testPath) {
    const tests = applyModelEdit('', turn.answer, { path: testPath });
    if (!tests.ok) return { ok: false, reason: `Ponder's answer has no usable tests (${tests.reason}). The answer is in the Ponder panel.` };
    const base = testExisting ?? '';
    const proposed = testExisting === undefined ? tests.text : `${base.replace(/\s*$/, '')}\n\n${tests.text}`;
    const p = store.add({ uri: testUri, relPath: testPath, label: `tests for ${context.target.symbolName ?? context.path}`, createsFile: testExisting === undefined, format: tests.format, confidence: tests.confidence, base, proposed });
    await openPreview(store, p);
    return { ok: true, proposalId: p.id, hunks: store.view(p).ok ? 1 : 0 };
  }
  const edit = applyModelEdit(original, turn.answer, { path: relPath, range: { startLine: context.target.startLine, endLine: context.target.endLine } });
  if (!edit.ok) return { ok: false, reason: `Ponder's answer could not be turned into an edit: ${edit.reason}. The answer is in the Ponder panel.` };
  if (edit.text === original) return { ok: false, reason: 'The model proposed no change to this code.' };
  const what = context.target.symbolName ? `\`${context.target.symbolName}\`` : lineSpan(context.target.startLine, context.target.endLine);
  const p = store.add({ uri: doc.uri, relPath, label: `${VERB[task].toLowerCase()} ${what}`, createsFile: false, format: edit.format, confidence: edit.confidence, base: original, proposed: edit.text, source: { turnId: turn.id, reasoning: turn.reasoning }, intent: { target: task === 'fix' && args.focus ? { line: args.focus.line, message: args.focus.message } : undefined, symbol: context.target.symbolName } });
  const view = store.view(p);
  return { ok: true, proposalId: p.id, hunks: view.ok ? view.hunks.length : 0 };
}

/** A given answer (e.g. from the chat) as a proposal for `doc`: same parsing, same workspace rules as a task. */
export function proposeFromAnswer(store: ProposalStore, doc: vscode.TextDocument, answer: string, range?: { startLine: number; endLine: number }, source?: Proposal['source'], intent?: Proposal['intent']): TaskResult {
  const guard = checkEditable(doc.uri);
  if (!guard.ok) return guard;
  const original = doc.getText();
  const edit = applyModelEdit(original, answer, { path: guard.relPath, range });
  if (!edit.ok) return { ok: false, reason: `The answer could not be turned into an edit of ${guard.relPath}: ${edit.reason}.` };
  if (edit.text === original) return { ok: false, reason: `The answer makes no change to ${guard.relPath}.` };
  const p = store.add({ uri: doc.uri, relPath: guard.relPath, label: 'edit from the chat', createsFile: false, format: edit.format, confidence: edit.confidence, base: original, proposed: edit.text, source, intent });
  const view = store.view(p);
  return { ok: true, proposalId: p.id, hunks: view.ok ? view.hunks.length : 0 };
}
