/**
 * Keeps the newest text in view the way chat UIs do: the list follows the stream while the reader is at the bottom,
 * stops following as soon as they scroll up, and offers a "Jump to latest" button until they come back.
 */

/** How close to the bottom (px) still counts as "at the bottom" (a partly visible last line, rounding). */
const SLACK = 24;

export class FollowScroll {
  private following = true;

  constructor(private readonly list: HTMLElement, private readonly jumpButton: HTMLButtonElement) {
    // Scroll events come from the reader (wheel, keys, scrollbar) and from our own scrolls; both leave the position
    // truthful, so "following" is simply "is the reader at the bottom now".
    list.addEventListener('scroll', () => this.setFollowing(this.atBottom()), { passive: true });
    // Scrolling up says "stop" at once: a fast stream must not pull the reader back before the scroll event lands.
    list.addEventListener('wheel', (e) => e.deltaY < 0 && this.release(), { passive: true });
    list.addEventListener('keydown', (e) => ['PageUp', 'ArrowUp', 'Home'].includes(e.key) && this.release());
    // Any growth or shrink (streamed text, a collapsing thought, a restored chat) keeps the bottom in view.
    new MutationObserver(() => this.onContentChanged()).observe(list, { childList: true, subtree: true, characterData: true, attributes: true });
    new ResizeObserver(() => this.onContentChanged()).observe(list);
    jumpButton.addEventListener('click', () => this.follow());
  }

  /** Scrolls to the newest text and follows the stream again (sending a message, "Jump to latest"). */
  follow(): void {
    this.setFollowing(true);
    this.scrollToEnd();
  }

  /** Stops following without the reader scrolling, e.g. when the panel scrolls to an older passage itself. */
  release(): void {
    this.setFollowing(false);
  }

  private onContentChanged(): void {
    if (this.following) this.scrollToEnd();
    else this.jumpButton.hidden = this.atBottom();
  }

  private scrollToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }

  private atBottom(): boolean {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight <= SLACK;
  }

  private setFollowing(on: boolean): void {
    this.following = on;
    this.jumpButton.hidden = on || this.atBottom();
  }
}
