/** What an empty chat shows: what Ponder is, which model answers, and three things to try with their keys. */
import type { PanelToHost } from '../core/protocol/panel';
import { keyLabels, SUGGESTIONS } from './shortcuts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.append(...children);
  return e;
}

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

export class EmptyState {
  private readonly modelLine: HTMLElement;
  private readonly modelButton: HTMLButtonElement;

  constructor(private readonly root: HTMLElement, post: (m: PanelToHost) => void) {
    this.modelLine = el('span', 'welcome-model-name');
    this.modelButton = el('button', 'secondary-button');
    this.modelButton.type = 'button';
    this.modelButton.addEventListener('click', () => post({ type: 'panel/selectModel' }));
    const tries = SUGGESTIONS.map((s) => {
      const keys = el('span', 'keys');
      keyLabels(isMac ? s.mac : s.key, isMac).forEach((k, i) => keys.append(...(i ? ['+'] : []), el('kbd', '', k)));
      keys.setAttribute('aria-label', keyLabels(isMac ? s.mac : s.key, isMac).join(' '));
      return el('li', '', `${s.text} `, keys);
    });
    root.replaceChildren(
      el('h2', 'welcome-title', el('i', 'codicon codicon-lightbulb-sparkle'), ' Ponder'),
      el('p', '', 'A reasoning model that runs on this computer. Watch it think, stop it or make it answer now, and review every edit it proposes before it touches a file.'),
      el('p', 'welcome-model', this.modelLine, ' ', this.modelButton),
      el('h3', '', 'Try'),
      el('ul', 'welcome-tries', ...tries),
    );
  }

  /** `model`: the label of the model that answers; undefined when none is set up yet. */
  show(visible: boolean, model: string | undefined): void {
    this.root.hidden = !visible;
    this.modelLine.replaceChildren(...(model ? ['Model: ', el('strong', '', model)] : ['No model chosen yet.']));
    this.modelButton.textContent = model ? 'Change…' : 'Choose a model…';
    this.modelButton.title = model ? 'Choose another model (Ponder: Select Model)' : 'Choose a model (Ponder: Select Model)';
  }
}
