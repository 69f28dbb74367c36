/**
 * Prompts for editor tasks. R1 convention: no system prompt, so the task, the context and the reply format all go in
 * the one user message. Edit tasks ask for a rewrite of the target block in ONE fenced code block (small distills
 * fail strict diff formats far more often than whole-block rewrites).
 */
import { packSections, SECTION_SEPARATOR, type Section } from './pack';
import type { ContextDefinition, EditorContext, TaskKind, TokenCounter } from './types';

export interface TaskRequest {
  readonly task: TaskKind;
  readonly context: EditorContext;
  /** The user's words for `edit` (already validated by the host). */
  readonly instructions?: string;
  /** For `tests`: where the tests go (workspace-relative), and whether that file exists (then only new tests are asked for). */
  readonly testPath?: string;
  readonly testFileExists?: boolean;
  /** A slice of the repository map (rendered by the host); the first thing cut when the budget is tight. */
  readonly repoMap?: string;
}

export type BuiltPrompt =
  | {
      readonly ok: true;
      readonly prompt: string;
      /** Token count of the prompt according to the counter used. */
      readonly tokens: number;
      readonly truncated: readonly string[];
      readonly omitted: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

const FENCE_LANG: Readonly<Record<string, string>> = {
  typescript: 'ts', typescriptreact: 'tsx', javascript: 'js', javascriptreact: 'jsx', python: 'python', shellscript: 'sh', csharp: 'cs', cpp: 'cpp', plaintext: '',
};

export function fenceLang(languageId: string): string {
  return FENCE_LANG[languageId] ?? languageId;
}

/** A fence longer than any backtick run inside `text`, so code containing ``` cannot close it early. */
export function fenced(text: string, lang: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** 1-based, human line range: "line 4" or "lines 3–7". */
export function lineSpan(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
}

function splitLines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

const marker = (hidden: number, what: string) => `[… ${hidden} more ${what} not shown: context budget]`;

function codeSection(id: string, label: string, priority: number, title: string, text: string, lang: string, cutLines = 0): Section {
  const lines = splitLines(text);
  return {
    id, label, priority, required: false, units: lines.length, minUnits: Math.min(3, lines.length),
    render: (keep) => {
      const hidden = lines.length - keep + cutLines;
      return `${title}\n${fenced(lines.slice(0, keep).join('\n'), lang)}${hidden > 0 ? `\n${marker(hidden, 'lines')}` : ''}`;
    },
  };
}

function definitionSection(d: ContextDefinition, index: number, lang: string): Section {
  const where = `${d.path}, ${lineSpan(d.line, d.line)}`;
  return codeSection(`definition:${index}:${d.name}`, `definition of \`${d.name}\` (${d.path})`, 10 + index, `\`${d.name}\` is defined in ${where}:`, d.text, lang, d.cutLines);
}

/** After the definitions, lowest priority: cut (whole files' lines from the end) before anything else. */
function repoMapSection(text: string): Section {
  const lines = splitLines(text);
  return {
    id: 'repomap', label: 'repository map', required: false, priority: 100, units: lines.length, minUnits: Math.min(3, lines.length),
    render: (keep) => `${lines.slice(0, keep).join('\n')}${keep < lines.length ? `\n${marker(lines.length - keep, 'lines of the repository map')}` : ''}`,
  };
}

function taskLine(req: TaskRequest): string {
  const { path, languageId } = req.context;
  const where = `\`${path}\` (${languageId})`;
  switch (req.task) {
    case 'explain': return `Explain code from ${where}.`;
    case 'fix': return `Fix a problem in code from ${where}.`;
    case 'refactor': return `Refactor code from ${where}.`;
    case 'edit': return `Change code from ${where} as asked below.`;
    case 'tests': return `Write unit tests for code from ${where}.`;
  }
}

function instruction(req: TaskRequest, lang: string): string {
  const t = req.context.target;
  const span = lineSpan(t.startLine, t.endLine);
  const rewrite = `Reply with the complete rewritten code (${span} only) in ONE fenced \`\`\`${lang} code block: every line of it, unchanged lines exactly as they are, no placeholders such as "// ... existing code ...", no diff. Put one sentence saying what you changed before the block.`;
  switch (req.task) {
    case 'explain':
      return 'Explain what this code does and why, then point out any bugs or risks you see. Answer in prose; do not rewrite the code.';
    case 'fix':
      return `${req.context.diagnostics.length ? 'Fix the problems listed above in this code.' : 'Find the bug in this code and fix it.'} Change only what the fix needs.\n${rewrite}`;
    case 'refactor':
      return `Refactor this code to be clearer and simpler without changing what it does.\n${rewrite}`;
    case 'edit':
      return `Change this code as follows: ${req.instructions ?? ''}\n${rewrite}`;
    case 'tests': {
      const file = req.testPath ? `\`${req.testPath}\`` : 'a new test file';
      return req.testFileExists
        ? `Write new unit tests for this code, to be appended to the existing ${file}, with the test framework that file already uses. Reply with ONLY the new tests (no existing ones) in ONE fenced \`\`\`${lang} code block.`
        : `Write unit tests for this code in ${file}, using the test framework this project already uses (or the usual one for ${req.context.languageId}), importing the code from \`${req.context.path}\`. Reply with the complete test file in ONE fenced \`\`\`${lang} code block.`;
    }
  }
}

function targetTitle(req: TaskRequest): string {
  const t = req.context.target;
  const what = t.kind === 'symbol' && t.symbolName ? `${t.symbolKind ?? 'symbol'} \`${t.symbolName}\`` : t.kind === 'selection' ? 'the selected code' : 'the code';
  const verb = req.task === 'explain' || req.task === 'tests' ? 'The code' : 'The code to change';
  return `${verb} — ${what}, ${lineSpan(t.startLine, t.endLine)} of ${req.context.path}:`;
}

/**
 * Builds the whole user message within `budget` tokens. Order is fixed (task, diagnostics, header, definitions,
 * omitted note, target, instruction); what is cut or left out under a tight budget is decided by priority:
 * diagnostics, then the header, then definitions in order of first use.
 */
export function buildTaskPrompt(req: TaskRequest, budget: number, count: TokenCounter): BuiltPrompt {
  const c = req.context;
  const lang = fenceLang(c.languageId);
  const required = (id: string, text: string): Section => ({ id, label: id, required: true, priority: 0, units: 1, minUnits: 1, render: () => text });
  const sections: Section[] = [required('task', taskLine(req))];
  if (c.diagnostics.length) {
    const items = c.diagnostics.map((d) => `- line ${d.line + 1}, ${d.severity}${d.source || d.code ? ` (${[d.source, d.code].filter(Boolean).join(' ')})` : ''}: ${d.message.replace(/\s*\n\s*/g, ' ')}`);
    sections.push({
      id: 'diagnostics', label: 'diagnostics', required: false, priority: 1, units: items.length, minUnits: 1,
      render: (keep) => `Problems reported in and near it:\n${items.slice(0, keep).join('\n')}${keep < items.length ? `\n${marker(items.length - keep, 'problems')}` : ''}`,
    });
  }
  if (c.header) sections.push(codeSection('header', 'the file header', 2, `The file starts with (${lineSpan(0, c.header.endLine)}):`, c.header.text, lang));
  c.definitions.forEach((d, i) => sections.push(definitionSection(d, i, lang)));
  if (req.repoMap) sections.push(repoMapSection(req.repoMap));
  sections.push(required('target', `${targetTitle(req)}\n${fenced(c.target.text, lang)}`));
  sections.push(required('instruction', instruction(req, lang)));

  const packed = packSections(sections, budget, count);
  if (!packed.ok) {
    return { ok: false, reason: `The code is too large for the model's context (the request ${packed.reason}). Select a smaller block, or raise \`ponder.contextSize\` if your model and memory allow.` };
  }
  const parts = packed.parts.map((p) => p.text);
  if (packed.omittedNote) parts.splice(parts.length - 2, 0, packed.omittedNote);
  return { ok: true, prompt: parts.join(SECTION_SEPARATOR), tokens: packed.tokens, truncated: packed.truncated, omitted: packed.omitted };
}
