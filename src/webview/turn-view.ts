/** One turn in the panel: the user's prompt, the thinking block, the streamed answer, and how it ended. */
import type { PanelToHost, ReasoningDisplay, TurnOutcome, TurnVerification } from '../core/protocol/panel';
import type { RenderMarkdown } from './render/markdown';
import { StreamingMarkdown } from './render/stream';
import { thinkingHeader, type ThinkingClock } from './thinking-header';
import { predictionSummary } from './prediction-summary';

export interface TurnDeps {
  readonly render: RenderMarkdown;
  readonly post: (m: PanelToHost) => void;
  readonly display: () => ReasoningDisplay;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class TurnView {
  readonly root: HTMLElement;
  private readonly thinking: HTMLDetailsElement;
  private readonly thinkingHead: HTMLElement;
  private readonly thinkingText: HTMLElement;
  private readonly answer: StreamingMarkdown;
  private readonly clock: ThinkingClock = { startedAt: performance.now(), tokens: 0 };

  constructor(readonly turnId: string, prompt: string, private readonly deps: TurnDeps) {
    this.root = el('section', 'turn');
    this.root.dataset.turnId = turnId;
    this.root.dataset.state = 'streaming';
    this.root.append(el('div', 'user', prompt));
    this.thinking = el('details', 'thinking');
    this.thinking.open = deps.display() !== 'hidden';
    this.thinking.hidden = true; // an empty thought shows no block
    this.thinkingHead = el('summary', 'thinking-header', 'Thinking…');
    this.thinkingText = el('div', 'thinking-text');
    this.thinking.append(this.thinkingHead, this.thinkingText);
    const answerEl = el('div', 'answer');
    this.root.append(this.thinking, answerEl);
    this.answer = new StreamingMarkdown(answerEl, deps.render, decorateCode);
  }

  get state(): string {
    return this.root.dataset.state ?? '';
  }

  reasoning(text: string, countToken = true): void {
    if (this.thinking.hidden) this.clock.startedAt = performance.now();
    this.thinking.hidden = false;
    if (countToken) this.clock.tokens++;
    // R1 opens its thought with a newline: kept in the text (highlight offsets count it) but not shown as a blank line.
    const lead = this.thinkingText.textContent?.trim() ? '' : /^\s*/.exec(text)?.[0] ?? '';
    if (lead) this.thinkingText.append(leadingSpace(lead));
    this.thinkingText.append(document.createTextNode(text.slice(lead.length))); // plain text, appended: never re-rendered
    this.setHeader();
  }

  answerText(text: string): void {
    if (this.clock.endedAt === undefined) {
      this.clock.endedAt = performance.now();
      if (this.deps.display() === 'collapseWhenDone') this.thinking.open = false; // collapse when the answer starts
      this.setHeader();
    }
    this.answer.append(text);
  }

  /** Opens the thinking block and marks one passage of it (a proposed change's "Why?" link). */
  highlight(start: number, end: number): void {
    // Offsets are into the turn's reasoning as streamed, which is exactly the text shown here.
    const text = this.thinkingText.textContent ?? '';
    const mark = el('mark', 'reasoning-highlight', text.slice(start, end));
    const lead = Math.min(/^\s*/.exec(text)?.[0].length ?? 0, start);
    this.thinkingText.replaceChildren(leadingSpace(text.slice(0, lead)), text.slice(lead, start), mark, text.slice(end));
    this.thinking.hidden = false;
    this.thinking.open = true;
    mark.scrollIntoView({ block: 'center' });
  }

  /** Adds or replaces the verification line of one fix session (text only: `code` spans become <code>, nothing else). */
  verification(v: TurnVerification): void {
    const line = el('div', 'verification');
    line.dataset.state = v.state;
    line.dataset.verificationId = v.id;
    line.setAttribute('role', 'status');
    v.text.split('`').forEach((part, i) => line.append(i % 2 ? el('code', '', part) : document.createTextNode(part)));
    for (const action of v.actions) {
      const b = el('button', 'secondary', action === 'repair' ? 'Repair' : action === 'undo' ? 'Undo Ponder\'s change' : 'Stop');
      b.dataset.verificationAction = action;
      b.dataset.verificationId = v.id;
      line.append(' ', b);
    }
    const old = Array.from(this.root.querySelectorAll<HTMLElement>('.verification')).find((e) => e.dataset.verificationId === v.id);
    if (old) old.replaceWith(line);
    else this.root.append(line);
  }

  /** "Thinking… 4.2 s · 57 tokens · 13.6 tok/s", breaking only between the parts in a narrow panel. */
  private setHeader(): void {
    const parts = thinkingHeader(this.clock).split(' · ');
    this.thinkingHead.replaceChildren(...parts.flatMap((p, i) => [...(i ? [' · '] : []), el('span', 'nowrap', p)]));
  }

  /** Keeps "Thinking… 4.2 s" moving between tokens. */
  tick(): void {
    if (this.state === 'streaming' && this.clock.endedAt === undefined && !this.thinking.hidden) this.setHeader();
  }

  end(outcome: TurnOutcome, restoring = false): void {
    this.root.dataset.state = outcome.stopReason;
    if (outcome.stats) {
      this.clock.tokens = outcome.stats.thinkingTokens;
      if (!restoring) this.clock.endedAt ??= performance.now();
    }
    this.clock.endedAt ??= performance.now();
    this.clock.cutShort = outcome.thoughtCutShort;
    if (restoring && outcome.thoughtMs !== undefined) this.clock.seconds = outcome.thoughtMs / 1000;
    this.setHeader();
    if (this.deps.display() === 'collapseWhenDone') this.thinking.open = false;
    this.answer.finish();
    if (outcome.stopReason === 'aborted' && outcome.interrupted) {
      // Saved while running, and the window went away before it ended (reopened from storage).
      const note = el('div', 'note interrupted', 'Stopped: the window closed before this answer finished.');
      const retry = el('button', 'retry secondary', 'Retry');
      retry.dataset.action = 'retry';
      retry.dataset.turnId = this.turnId;
      note.append(' ', retry);
      this.root.append(note);
    } else if (outcome.stopReason === 'aborted') this.root.append(el('div', 'note', this.answer.value ? 'Stopped.' : 'Stopped while thinking.'));
    if (outcome.stopReason === 'error') {
      const box = el('div', 'error');
      box.setAttribute('role', 'alert');
      const retry = el('button', 'retry');
      retry.type = 'button';
      retry.dataset.action = 'retry';
      retry.dataset.turnId = this.turnId;
      retry.title = 'Ask this question again';
      retry.append(el('i', 'codicon codicon-refresh'), el('span', 'label', 'Retry'));
      box.append(el('i', 'codicon codicon-error'), el('span', 'error-text', outcome.error ?? 'The request failed.'), retry);
      this.root.append(box);
    }
    if (outcome.stats) {
      const s = outcome.stats;
      const line = el('div', 'stats', `${Math.round(s.timeToFirstTokenMs)} ms to first token · ${s.thinkingTokens} thinking + ${s.answerTokens} answer tokens · ${s.tokensPerSecond} tok/s`);
      if (s.prediction) {
        const p = el('span', 'prediction', ` · ${predictionSummary(s.prediction)}`);
        p.title = 'Speculative decoding (ponder.speculative): predicted tokens are checked by the model in one batch, so the answer is the same. ' +
          (s.prediction.measuredSpeedup !== undefined
            ? 'The speed-up is timed: this answer\'s decode steps against the model\'s plain steps on this machine.'
            : 'The speed-up is estimated from these counts (too little of this answer was timed).') +
          (s.prediction.draftPaused ? ' The draft model is paused in this chat: decoding with it was measured slower than without it (too few of its tokens were accepted to pay for drafting them). It is tried again later.' : '');
        line.append(p);
      }
      this.root.append(line);
    }
  }
}

/** Whitespace before the first word of a thought: part of the text, not displayed. */
function leadingSpace(text: string): HTMLElement {
  const span = el('span', 'leading-space', text);
  span.hidden = true;
  return span;
}

/** Adds Copy / Insert / Apply buttons to each code block (as DOM, not HTML, so model text can never create buttons). */
function decorateCode(container: HTMLElement): void {
  for (const block of Array.from(container.querySelectorAll<HTMLElement>('.code-block'))) {
    if (block.querySelector('.code-actions')) continue;
    const bar = el('div', 'code-actions');
    for (const [action, label, icon] of [['copy', 'Copy', 'copy'], ['insert', 'Insert at cursor', 'insert'], ['apply', 'Apply to file…', 'diff']] as const) {
      const b = el('button', 'icon-button');
      b.dataset.action = action;
      b.title = label;
      b.setAttribute('aria-label', label);
      b.type = 'button';
      b.append(el('i', `codicon codicon-${icon}`), el('span', 'label', label)); // the label hides in a narrow panel
      bar.append(b);
    }
    block.prepend(bar);
  }
}
