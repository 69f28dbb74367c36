/**
 * Splits a raw R1 text stream into reasoning and answer, chunk by chunk. Used where the engine hands us raw text
 * (remote engines, GGUFs without a known template); node-llama-cpp's thought segments make it unnecessary otherwise.
 *
 * Shapes handled (see ../shared/corpus/r1_traces.jsonl): `<think>…</think>answer`; only a closing `</think>`
 * (the template pre-filled `<think>`); no tags at all; junk before `<think>`; tags split across chunks.
 */

export interface SplitChunk {
  readonly kind: 'reasoning' | 'answer';
  readonly text: string;
}

export interface SplitterOptions {
  /**
   * How text with no tags is read until a tag says otherwise. 'reasoning' is the R1 convention (templates pre-fill
   * `<think>`, so a reply without `</think>` was cut off mid-thought); 'answer' suits non-reasoning models.
   */
  readonly untagged?: 'reasoning' | 'answer';
  /** How far into the stream an opening `<think>` may appear, with what precedes it dropped as junk. */
  readonly junkWindow?: number;
}

const OPEN = '<think>';
const CLOSE = '</think>';

type Phase = 'start' | 'reasoning' | 'answer';

export class ReasoningSplitter {
  private phase: Phase = 'start';
  private pending = '';
  /** Reasoning emitted so far has only been whitespace: leading newlines are dropped, like the corpus rule. */
  private reasoningStarted = false;
  private answerStarted = false;
  private readonly untagged: 'reasoning' | 'answer';
  private readonly junkWindow: number;

  constructor(options: SplitterOptions = {}) {
    this.untagged = options.untagged ?? 'reasoning';
    this.junkWindow = options.junkWindow ?? 64;
  }

  /** Feeds raw text; returns whatever can be classified now. */
  push(text: string): SplitChunk[] {
    this.pending += text;
    const out: SplitChunk[] = [];
    this.drain(out, false);
    return out;
  }

  /** Ends the stream and flushes held-back text. */
  end(): SplitChunk[] {
    const out: SplitChunk[] = [];
    this.drain(out, true);
    return out;
  }

  private drain(out: SplitChunk[], final: boolean): void {
    for (;;) {
      if (this.phase === 'start') {
        const open = this.pending.indexOf(OPEN);
        const close = this.pending.indexOf(CLOSE);
        if (open >= 0 && open <= this.junkWindow && (close < 0 || open < close)) {
          this.pending = this.pending.slice(open + OPEN.length); // text before <think> is junk (e.g. "232s\n")
          this.phase = 'reasoning';
          continue;
        }
        if (close >= 0) {
          this.phase = 'reasoning'; // closing-only shape: everything so far was reasoning
          continue;
        }
        // Undecided: wait while an opening tag could still arrive inside the junk window.
        if (!final && this.pending.length < this.junkWindow + OPEN.length) return;
        this.phase = this.untagged;
        continue;
      }
      if (this.phase === 'reasoning') {
        const close = this.pending.indexOf(CLOSE);
        if (close >= 0) {
          this.emit(out, 'reasoning', this.pending.slice(0, close));
          this.pending = this.pending.slice(close + CLOSE.length);
          this.phase = 'answer';
          continue;
        }
        const keep = final ? 0 : partialSuffix(this.pending, CLOSE);
        this.emit(out, 'reasoning', this.pending.slice(0, this.pending.length - keep));
        this.pending = this.pending.slice(this.pending.length - keep);
        return;
      }
      // answer: a stray <think>…</think> later in the answer stays text; only the first close switches phase.
      this.emit(out, 'answer', this.pending);
      this.pending = '';
      return;
    }
  }

  private emit(out: SplitChunk[], kind: SplitChunk['kind'], text: string): void {
    let t = text;
    if (kind === 'reasoning' && !this.reasoningStarted) {
      t = t.replace(/^\s+/, '');
      if (t) this.reasoningStarted = true;
    }
    if (kind === 'answer' && !this.answerStarted) {
      t = t.replace(/^\s+/, '');
      if (t) this.answerStarted = true;
    }
    if (!t) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) out[out.length - 1] = { kind, text: last.text + t };
    else out.push({ kind, text: t });
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag` (a tag split across chunks). */
function partialSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

/** Whole-text convenience: the reasoning (trimmed) and the answer (left-trimmed). */
export function splitReasoning(raw: string, options?: SplitterOptions): { reasoning: string; answer: string } {
  const s = new ReasoningSplitter(options);
  const chunks = [...s.push(raw), ...s.end()];
  const join = (k: SplitChunk['kind']) => chunks.filter((c) => c.kind === k).map((c) => c.text).join('');
  return { reasoning: join('reasoning').trimEnd(), answer: join('answer') };
}
