/**
 * Incremental markdown for a streaming answer: complete blocks are rendered once and appended; only the open tail
 * block is re-rendered, at most once per animation frame. The whole answer is rendered once more when it ends.
 */
import { stableBoundary } from './blocks';
import type { RenderMarkdown } from './markdown';

export class StreamingMarkdown {
  private text = '';
  private stableUpTo = 0;
  private readonly tail: HTMLElement;
  private frame: number | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly render: RenderMarkdown,
    private readonly decorate: (el: HTMLElement) => void,
  ) {
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    container.append(this.tail);
  }

  get value(): string {
    return this.text;
  }

  append(chunk: string): void {
    this.text += chunk;
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.flush();
    });
  }

  /** Renders the whole text once (end of the answer, or restoring a stored turn). */
  finish(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.container.innerHTML = this.render(this.text); // sanitized by the renderer
    this.decorate(this.container);
    this.stableUpTo = this.text.length;
  }

  private flush(): void {
    const boundary = stableBoundary(this.text, this.stableUpTo);
    if (boundary > this.stableUpTo) {
      const block = document.createElement('div');
      block.className = 'md-block';
      block.innerHTML = this.render(this.text.slice(this.stableUpTo, boundary));
      this.decorate(block);
      this.container.insertBefore(block, this.tail);
      this.stableUpTo = boundary;
    }
    this.tail.innerHTML = this.render(this.text.slice(this.stableUpTo));
    this.decorate(this.tail);
  }
}
