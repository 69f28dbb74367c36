/** The input area: prompt box (Enter sends), context chips, and `@file` mention completion. */
import { MAX_PROMPT, type ContextChip, type PanelToHost } from '../core/protocol/panel';

const MENTION = /(^|\s)@([\w./-]*)$/;

export class Composer {
  private readonly list: HTMLUListElement;
  private files: readonly string[] = [];
  private active = 0;
  private timer: number | undefined;
  private nextSendId = 1;
  /** Sent texts the host has not refused yet (a refusal puts the text back). */
  private readonly inFlight = new Map<number, string>();

  constructor(
    private readonly prompt: HTMLTextAreaElement,
    private readonly chipsEl: HTMLElement,
    private readonly errorEl: HTMLElement,
    private readonly post: (m: PanelToHost) => void,
  ) {
    this.list = document.createElement('ul');
    this.list.className = 'mentions';
    this.list.id = 'mentions';
    this.list.setAttribute('role', 'listbox');
    this.list.hidden = true;
    prompt.after(this.list);
    prompt.setAttribute('aria-controls', 'mentions');
    prompt.addEventListener('input', () => this.onInput());
    prompt.addEventListener('keydown', (e) => this.onKey(e));
    this.list.addEventListener('mousedown', (e) => {
      const li = (e.target as HTMLElement).closest('li');
      if (li?.dataset.path) {
        e.preventDefault();
        this.choose(li.dataset.path);
      }
    });
    chipsEl.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest('button');
      if (b?.dataset.chip) return this.post({ type: 'panel/removeChip', id: b.dataset.chip });
      const chip = (e.target as HTMLElement).closest<HTMLElement>('.chip-workspace');
      if (chip?.dataset.chipId) this.post({ type: 'panel/openChip', id: chip.dataset.chipId }); // shows the map the model gets
    });
  }

  send(): void {
    const text = this.prompt.value.trim();
    if (!text) return;
    if (text.length > MAX_PROMPT) return this.showError(`The message is ${text.length.toLocaleString('en')} characters; the most Ponder sends is ${MAX_PROMPT.toLocaleString('en')}. Attach long text as a file with @ instead.`);
    const sendId = this.nextSendId++;
    this.inFlight.clear(); // only the latest send can come back
    this.inFlight.set(sendId, text);
    this.post({ type: 'panel/send', text, sendId });
    this.prompt.value = '';
    this.showError(undefined);
    this.hide();
  }

  /** The host refused a send: the text goes back into the box (before anything typed since), the reason below it. */
  sendFailed(sendId: number, error: string): void {
    const text = this.inFlight.get(sendId);
    this.inFlight.delete(sendId);
    if (text !== undefined) {
      const typed = this.prompt.value.trim();
      this.prompt.value = typed && typed !== text ? `${text}\n${typed}` : text;
    }
    this.showError(error);
    this.prompt.focus();
  }

  /** A message about the composer (a refused mention, a refused send); undefined clears it. */
  showError(text: string | undefined): void {
    this.errorEl.textContent = text ?? '';
    this.errorEl.hidden = !text;
  }

  setChips(chips: readonly ContextChip[]): void {
    this.chipsEl.replaceChildren(...chips.map((c) => {
      const chip = document.createElement('span');
      chip.className = `chip chip-${c.kind}`;
      chip.title = c.detail;
      chip.dataset.chipId = c.id;
      const icon = document.createElement('i');
      icon.className = `codicon codicon-${c.kind === 'diagnostics' ? 'warning' : c.kind === 'selection' ? 'selection' : c.kind === 'workspace' ? 'repo' : 'file'}`;
      const remove = document.createElement('button');
      remove.className = 'chip-remove';
      remove.dataset.chip = c.id;
      remove.title = `Don't send ${c.label}`;
      remove.setAttribute('aria-label', `Remove ${c.label}`);
      remove.append(Object.assign(document.createElement('i'), { className: 'codicon codicon-close' }));
      const label = document.createElement('span');
      label.className = 'chip-label'; // a long path ends in "…" instead of pushing its remove button out of view
      label.textContent = c.label;
      chip.append(icon, label);
      if (c.note) {
        chip.classList.add('chip-warn');
        chip.append(Object.assign(document.createElement('span'), { className: 'chip-note', textContent: c.note }));
      }
      chip.append(remove);
      return chip;
    }));
    this.chipsEl.hidden = chips.length === 0;
  }

  mentionResults(query: string, files: readonly string[]): void {
    if (this.currentQuery() !== query) return; // stale answer
    this.files = files;
    this.active = 0;
    this.list.replaceChildren(...files.map((f, i) => {
      const li = document.createElement('li');
      li.textContent = f;
      li.dataset.path = f;
      li.id = `mention-${i}`;
      li.setAttribute('role', 'option');
      return li;
    }));
    this.list.hidden = files.length === 0;
    this.highlight();
  }

  private currentQuery(): string | undefined {
    const before = this.prompt.value.slice(0, this.prompt.selectionStart);
    return MENTION.exec(before)?.[2];
  }

  private onInput(): void {
    const q = this.currentQuery();
    window.clearTimeout(this.timer);
    if (q === undefined) return this.hide();
    this.timer = window.setTimeout(() => this.post({ type: 'panel/mentionQuery', query: q }), 120);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.list.hidden && this.files.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.files.length - 1)) % this.files.length;
        return this.highlight();
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        return this.choose(this.files[this.active]);
      }
      if (e.key === 'Escape') return this.hide();
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  private choose(path: string): void {
    const caret = this.prompt.selectionStart;
    const before = this.prompt.value.slice(0, caret).replace(/@[\w./-]*$/, '');
    this.prompt.value = before + this.prompt.value.slice(caret);
    this.prompt.selectionStart = this.prompt.selectionEnd = before.length;
    this.post({ type: 'panel/addFile', path });
    this.showError(undefined);
    this.hide();
    this.prompt.focus();
  }

  private highlight(): void {
    Array.from(this.list.children).forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    this.prompt.setAttribute('aria-activedescendant', this.files.length ? `mention-${this.active}` : '');
  }

  private hide(): void {
    this.list.hidden = true;
    this.files = [];
  }
}
