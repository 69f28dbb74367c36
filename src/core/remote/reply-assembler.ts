/**
 * Turns the deltas of a streamed remote reply into typed reasoning/answer pieces. Two shapes exist in the wild:
 * reasoning in its own field (`reasoning_content` / `reasoning`) with the answer in `content`, or everything inline in
 * `content` with `<think>` tags (servers without a reasoning parser). The first non-empty delta decides which.
 */
import { ReasoningSplitter, type SplitChunk } from '../reasoning/splitter';

type Kind = SplitChunk['kind'];

export class ReplyAssembler {
  reasoning = '';
  answer = '';
  /** Deltas that carried reasoning / answer text: about one token each on streaming servers. */
  reasoningDeltas = 0;
  answerDeltas = 0;
  private mode: 'undecided' | 'fields' | 'inline' = 'undecided';
  /** Inline mode: untagged text is reasoning until `</think>` (R1 templates pre-fill `<think>`). */
  private readonly inline = new ReasoningSplitter({ untagged: 'reasoning' });
  /** Field mode: `content` is the answer, minus an inline copy of the thought some servers also send. */
  private readonly content = new ReasoningSplitter({ untagged: 'answer', junkWindow: 0 });
  /** After "answer now" the continuation's content is the answer and any further reasoning is dropped. */
  private answerOnly = false;

  constructor(private readonly emit: (kind: Kind, text: string) => void) {}

  /** True until the first answer text: "answer now" and thinking budgets act only then. */
  get inThought(): boolean {
    return this.answer === '';
  }

  /** From now on (the continuation after "answer now"): content is answer, reasoning is counted but not shown. */
  answerFromHere(): void {
    this.flush();
    this.answerOnly = true;
  }

  push(reasoningField: string, content: string): void {
    if (reasoningField) {
      this.reasoningDeltas++;
      if (this.mode === 'undecided') this.mode = 'fields';
      if (!this.answerOnly) this.out('reasoning', reasoningField);
    }
    if (!content) return;
    if (this.answerOnly) {
      this.answerDeltas++;
      this.out('answer', content);
      return;
    }
    if (this.mode === 'undecided') this.mode = 'inline';
    if (this.mode === 'fields') {
      this.answerDeltas++;
      for (const c of this.content.push(content)) if (c.kind === 'answer') this.out('answer', c.text);
      return;
    }
    const pieces = this.inline.push(content);
    if (pieces.some((c) => c.kind === 'answer') || !this.inThought) this.answerDeltas++;
    else this.reasoningDeltas++;
    for (const c of pieces) this.out(c.kind, c.text);
  }

  /** The stream ended: release text held back while a tag could still complete. */
  flush(): void {
    for (const c of this.inline.end()) this.out(c.kind, c.text);
    for (const c of this.content.end()) if (c.kind === 'answer') this.out('answer', c.text);
  }

  private out(kind: Kind, text: string): void {
    // Leading whitespace of each part is dropped, as the splitter does for inline text.
    const t = (kind === 'reasoning' ? this.reasoning : this.answer) === '' ? text.replace(/^\s+/, '') : text;
    if (!t) return;
    if (kind === 'reasoning') this.reasoning += t;
    else this.answer += t;
    this.emit(kind, t);
  }
}
