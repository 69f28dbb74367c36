/** Side-panel script: renders HostToPanel messages, sends PanelToHost messages. Model text is rendered sanitized. */
import DOMPurify from 'dompurify';
import { LIVENESS, type ContextMeter, type HostToPanel, type PanelToHost, type ReasoningDisplay } from '../core/protocol/panel';
import { Composer } from './composer';
import { EmptyState } from './empty-state';
import { FollowScroll } from './follow-scroll';
import { describeMeter } from './meter';
import { createMarkdownRenderer } from './render/markdown';
import { TurnView } from './turn-view';

declare function acquireVsCodeApi(): { postMessage(message: PanelToHost): void };
const vscode = acquireVsCodeApi();
const post = (m: PanelToHost) => vscode.postMessage(m);

function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const e = document.getElementById(id);
  if (!(e instanceof type)) throw new Error(`panel markup lacks #${id}`);
  return e;
}
const turnsEl = byId('turns', HTMLElement);
const statusEl = byId('status', HTMLElement);
const meterEl = byId('meter', HTMLElement);
const announceEl = byId('announce', HTMLElement);
const stopBtn = byId('stop', HTMLButtonElement);
const answerNowBtn = byId('answerNow', HTMLButtonElement);
const follow = new FollowScroll(turnsEl, byId('jumpLatest', HTMLButtonElement));
const welcome = new EmptyState(byId('welcome', HTMLElement), post);
let model: string | undefined;
const composer = new Composer(byId('prompt', HTMLTextAreaElement), byId('chips', HTMLElement), byId('composerError', HTMLElement), post);

let display: ReasoningDisplay = 'collapseWhenDone';
const render = createMarkdownRenderer(DOMPurify);
const deps = { render, post, display: () => display };
const views = new Map<string, TurnView>();
let ticker: number | undefined;
let heartbeat: number | undefined;

function addTurn(turnId: string, prompt: string): TurnView {
  const v = new TurnView(turnId, prompt, deps);
  views.set(turnId, v);
  turnsEl.append(v.root);
  return v;
}

/** The empty chat explains Ponder; it goes as soon as there is a turn. */
function showWelcome(): void {
  welcome.show(views.size === 0, model);
}

function setBusy(busy: boolean): void {
  stopBtn.disabled = !busy;
  answerNowBtn.disabled = !busy;
  // While a turn runs the host needs to know this window still shows it (it stops turns nobody can see).
  if (busy) heartbeat ??= window.setInterval(() => post({ type: 'panel/heartbeat' }), LIVENESS.heartbeatMs);
  else {
    window.clearInterval(heartbeat);
    heartbeat = undefined;
  }
  if (busy) ticker ??= window.setInterval(() => views.forEach((v) => v.tick()), 200);
  else if (ticker !== undefined) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
}

function showMeter(m: ContextMeter | undefined): void {
  meterEl.hidden = !m;
  if (!m) return;
  const view = describeMeter(m);
  meterEl.textContent = view.text;
  meterEl.title = view.title;
  meterEl.classList.toggle('warn', view.warn);
}

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const m = event.data;
  switch (m.type) {
    case 'panel/state':
      display = m.reasoningDisplay;
      document.body.dataset.reasoning = display;
      views.clear();
      turnsEl.replaceChildren();
      for (const t of m.turns) {
        const v = addTurn(t.id, t.prompt);
        if (t.reasoning) v.reasoning(t.reasoning, false);
        if (t.answer) v.answerText(t.answer);
        if (t.outcome) v.end(t.outcome, true);
        for (const x of t.verifications ?? []) v.verification(x);
      }
      statusEl.textContent = m.status;
      model = m.model;
      showWelcome();
      composer.setChips(m.chips);
      showMeter(m.meter);
      setBusy(m.busy);
      follow.follow(); // a restored chat opens at its newest turn
      break;
    case 'panel/status':
      statusEl.textContent = m.text;
      model = m.model;
      showWelcome();
      break;
    case 'panel/chips':
      composer.setChips(m.chips);
      break;
    case 'panel/meter':
      showMeter(m.meter);
      break;
    case 'panel/verification':
      views.get(m.turnId)?.verification(m.verification);
      break;
    case 'panel/highlightReasoning':
      follow.release(); // the passage may be far above the stream: stay on it
      views.get(m.turnId)?.highlight(m.start, m.end);
      break;
    case 'panel/ping':
      post({ type: 'panel/pong', seq: m.seq });
      break;
    case 'panel/sendFailed':
      composer.sendFailed(m.sendId, m.error);
      break;
    case 'panel/notice':
      composer.showError(m.text);
      break;
    case 'panel/mentionResults':
      composer.mentionResults(m.query, m.files);
      break;
    case 'panel/turnStarted':
      addTurn(m.turnId, m.prompt);
      showWelcome();
      follow.follow(); // asking something means wanting to see the answer
      setBusy(true);
      break;
    case 'panel/chunk': {
      const v = views.get(m.turnId);
      if (m.kind === 'reasoning') v?.reasoning(m.text);
      else v?.answerText(m.text);
      break;
    }
    case 'panel/turnEnded': {
      views.get(m.turnId)?.end(m.outcome);
      announceEl.textContent = m.outcome.stopReason === 'done' ? 'Answer ready.' : m.outcome.stopReason === 'error' ? 'The request failed.' : 'Stopped.';
      setBusy([...views.values()].some((v) => v.state === 'streaming')); // a stopped turn can end after the next one started
      break;
    }
  }
});

// One delegated listener for everything clickable inside answers (no inline handlers; CSP forbids them anyway).
turnsEl.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target : null;
  const link = target?.closest<HTMLElement>('a[data-href]');
  if (link?.dataset.href) {
    e.preventDefault();
    return post({ type: 'panel/openLink', href: link.dataset.href });
  }
  const verify = target?.closest<HTMLButtonElement>('button[data-verification-action]');
  const action = verify?.dataset.verificationAction;
  if (verify?.dataset.verificationId && (action === 'repair' || action === 'undo' || action === 'stop')) return post({ type: 'panel/verificationAction', verificationId: verify.dataset.verificationId, action });
  const button = target?.closest<HTMLButtonElement>('button[data-action]');
  if (!button) return;
  if (button.dataset.action === 'retry' && button.dataset.turnId) return post({ type: 'panel/retry', turnId: button.dataset.turnId });
  const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
  if (button.dataset.action === 'copy') post({ type: 'panel/copy', text: code });
  if (button.dataset.action === 'insert') post({ type: 'panel/insert', text: code });
  if (button.dataset.action === 'apply') {
    // Only which block: the host takes it (with its file-name line and sibling blocks) from the stored answer.
    const turn = button.closest<HTMLElement>('.turn');
    const block = button.closest('.code-block');
    const blockIndex = turn && block ? Array.from(turn.querySelectorAll('.answer .code-block')).indexOf(block) : -1;
    if (turn?.dataset.turnId && blockIndex >= 0) post({ type: 'panel/applyCode', turnId: turn.dataset.turnId, blockIndex });
  }
});
turnsEl.addEventListener('keydown', (e) => {
  const link = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('a[data-href]') : null;
  if (link?.dataset.href && e.key === 'Enter') post({ type: 'panel/openLink', href: link.dataset.href });
});

byId('composer', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  composer.send();
});
stopBtn.addEventListener('click', () => post({ type: 'panel/stop' }));
answerNowBtn.addEventListener('click', () => post({ type: 'panel/answerNow' }));
byId('newChat', HTMLButtonElement).addEventListener('click', () => post({ type: 'panel/newChat' }));

post({ type: 'panel/ready' });
