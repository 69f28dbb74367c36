/** Chats persisted per workspace (workspaceState), so they survive a window reload and can be reopened. */
import type * as vscode from 'vscode';
import { isTurnVerification, type PanelTurn } from '../../core/protocol/panel';
import { isObject, isString } from '../../core/protocol/validate';

export interface StoredChat {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
  readonly turns: readonly PanelTurn[];
}

const KEY = 'ponder.chats';
const MAX_CHATS = 50;

export class ChatStore {
  constructor(private readonly memento: vscode.Memento) {}

  list(): StoredChat[] {
    const raw: unknown = this.memento.get(KEY, []);
    // Stored data is re-validated: it may come from an older version of Ponder.
    return Array.isArray(raw) ? raw.filter(isStoredChat).map(withValidVerifications).sort((a, b) => b.updatedAt - a.updatedAt) : [];
  }

  get(id: string): StoredChat | undefined {
    return this.list().find((c) => c.id === id);
  }

  async save(chat: StoredChat): Promise<void> {
    const others = this.list().filter((c) => c.id !== chat.id);
    const next = chat.turns.length ? [chat, ...others] : others;
    await this.memento.update(KEY, next.slice(0, MAX_CHATS));
  }
}

function isStoredChat(v: unknown): v is StoredChat {
  return isObject(v) && isString(v.id) && isString(v.title) && typeof v.updatedAt === 'number' && Array.isArray(v.turns) &&
    v.turns.every((t) => isObject(t) && isString(t.id) && isString(t.prompt) && isString(t.reasoning) && isString(t.answer));
}

/** Keeps only well-formed verification lines (the panel renders them as text, but a bad shape must not break it). */
function withValidVerifications(c: StoredChat): StoredChat {
  return { ...c, turns: c.turns.map((t) => (t.verifications === undefined ? t : { ...t, verifications: Array.isArray(t.verifications) ? t.verifications.filter(isTurnVerification) : [] })) };
}

/** Markdown export: prompts, answers, and the reasoning folded into <details>. */
export function chatToMarkdown(chat: StoredChat): string {
  const lines = [`# ${chat.title}`, ''];
  for (const t of chat.turns) {
    lines.push('## You', '', t.prompt, '');
    if (t.reasoning) lines.push('<details><summary>Reasoning</summary>', '', t.reasoning.trim(), '', '</details>', '');
    lines.push('## Ponder', '', t.answer || (t.outcome?.error ? `*Failed: ${t.outcome.error}*` : '*No answer.*'), '');
    for (const v of t.verifications ?? []) lines.push(`> **Verification:** ${v.text}`, '');
  }
  return lines.join('\n');
}
