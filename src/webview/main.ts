/** Side-panel script. Receives HostToPanel messages, renders turns incrementally, sends PanelToHost messages. */
import type { HostToPanel, PanelToHost, PanelTurn, TurnOutcome } from '../core/protocol/panel';
import { thinkingHeader, type ThinkingClock } from './thinking-header';

declare function acquireVsCodeApi(): { postMessage(message: PanelToHost): void };
const vscode = acquireVsCodeApi();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T; // ids are in our own HTML
const turnsEl = $<HTMLElement>('turns');
const statusEl = $<HTMLElement>('status');
const announceEl = $<HTMLElement>('announce');
const promptEl = $<HTMLTextAreaElement>('prompt');
const stopBtn = $<HTMLButtonElement>('stop');
const answerNowBtn = $<HTMLButtonElement>('answerNow');

interface TurnView {
  readonly root: HTMLElement;
  readonly thinking: HTMLDetailsElement;
  readonly thinkingHead: HTMLElement;
  readonly thinkingText: HTMLElement;
  readonly answer: HTMLElement;
  readonly clock: ThinkingClock;
}
const views = new Map<string, TurnView>();
let ticker: number | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function addTurn(turnId: string, prompt: string): TurnView {
  const root = el('section', 'turn');
  root.dataset.turnId = turnId;
  root.dataset.state = 'streaming';
  root.append(el('div', 'user', prompt));
  const thinking = el('details', 'thinking');
  thinking.open = true;
  thinking.hidden = true; // an empty thought shows no block
  const thinkingHead = el('summary', 'thinking-header', 'Thinking…');
  const thinkingText = el('div', 'thinking-text');
  thinking.append(thinkingHead, thinkingText);
  const answer = el('div', 'answer');
  root.append(thinking, answer);
  turnsEl.append(root);
  const view: TurnView = { root, thinking, thinkingHead, thinkingText, answer, clock: { startedAt: performance.now(), tokens: 0 } };
  views.set(turnId, view);
  return view;
}

function appendChunk(view: TurnView, kind: 'reasoning' | 'answer', text: string): void {
  if (kind === 'reasoning') {
    view.thinking.hidden = false;
    view.clock.tokens++;
    view.thinkingText.append(document.createTextNode(text)); // append, never re-render the whole block
  } else {
    if (view.clock.endedAt === undefined) {
      view.clock.endedAt = performance.now();
      view.thinking.open = false; // collapse when the answer starts
    }
    view.answer.append(document.createTextNode(text));
  }
  view.thinkingHead.textContent = thinkingHeader(view.clock);
  view.root.scrollIntoView({ block: 'end' });
}

function endTurn(view: TurnView, outcome: TurnOutcome): void {
  view.root.dataset.state = outcome.stopReason;
  if (outcome.stats) view.clock.tokens = outcome.stats.thinkingTokens;
  view.clock.endedAt ??= performance.now();
  view.clock.cutShort = outcome.thoughtCutShort;
  view.thinkingHead.textContent = thinkingHeader(view.clock);
  if (outcome.stopReason === 'aborted') view.root.append(el('div', 'note', 'Stopped.'));
  if (outcome.error) view.root.append(el('div', 'error', outcome.error));
  if (outcome.stats) {
    const s = outcome.stats;
    view.root.append(el('div', 'stats', `${s.timeToFirstTokenMs} ms to first token · ${s.thinkingTokens} thinking + ${s.answerTokens} answer tokens · ${s.tokensPerSecond} tok/s · context ${s.contextTokens}/${s.contextSize}`));
  }
  announceEl.textContent = outcome.stopReason === 'done' ? 'Answer ready.' : outcome.stopReason === 'error' ? 'The request failed.' : 'Stopped.';
}

function renderAll(turns: readonly PanelTurn[]): void {
  views.clear();
  turnsEl.replaceChildren();
  for (const t of turns) {
    const v = addTurn(t.id, t.prompt);
    if (t.reasoning) appendChunk(v, 'reasoning', t.reasoning);
    if (t.answer) appendChunk(v, 'answer', t.answer);
    if (t.outcome) endTurn(v, t.outcome);
  }
}

function setBusy(busy: boolean): void {
  stopBtn.disabled = !busy;
  answerNowBtn.disabled = !busy;
  if (busy && ticker === undefined) ticker = window.setInterval(tick, 200);
  if (!busy && ticker !== undefined) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
}

/** Keeps the live "Thinking… 4.2 s" header moving between tokens. */
function tick(): void {
  for (const v of views.values()) {
    if (v.root.dataset.state === 'streaming' && v.clock.endedAt === undefined && !v.thinking.hidden) v.thinkingHead.textContent = thinkingHeader(v.clock);
  }
}

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const m = event.data;
  switch (m.type) {
    case 'panel/state':
      renderAll(m.turns);
      statusEl.textContent = m.status;
      setBusy(m.busy);
      break;
    case 'panel/status':
      statusEl.textContent = m.text;
      break;
    case 'panel/turnStarted':
      addTurn(m.turnId, m.prompt);
      setBusy(true);
      break;
    case 'panel/chunk': {
      const v = views.get(m.turnId);
      if (v) appendChunk(v, m.kind, m.text);
      break;
    }
    case 'panel/turnEnded': {
      const v = views.get(m.turnId);
      if (v) endTurn(v, m.outcome);
      setBusy(false);
      break;
    }
  }
});

function send(): void {
  const text = promptEl.value.trim();
  if (!text) return;
  vscode.postMessage({ type: 'panel/send', text });
  promptEl.value = '';
}

$<HTMLFormElement>('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
promptEl.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
stopBtn.addEventListener('click', () => vscode.postMessage({ type: 'panel/stop' }));
answerNowBtn.addEventListener('click', () => vscode.postMessage({ type: 'panel/answerNow' }));
$<HTMLButtonElement>('newChat').addEventListener('click', () => vscode.postMessage({ type: 'panel/newChat' }));

vscode.postMessage({ type: 'panel/ready' });
