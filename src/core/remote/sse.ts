/**
 * Server-sent events, parsed incrementally from decoded text (WHATWG "event stream interpretation"): `data:` lines
 * joined by "\n", dispatched on a blank line; comments (`:`) and unknown fields ignored; CRLF, LF or CR line ends.
 */

export interface SseEvent {
  /** `event:` field; undefined for the default "message". */
  readonly event?: string;
  readonly data: string;
}

/** Longest line accepted before the stream counts as malformed (a server that never sends a newline). */
const MAX_LINE = 4 * 1024 * 1024;

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event: string | undefined;
  /** A CR ended the last chunk: a following LF belongs to it. */
  private pendingCr = false;

  /** Feeds decoded text; returns the events completed by it. Throws if a single line grows past 4 MB. */
  push(text: string): SseEvent[] {
    let t = text;
    if (this.pendingCr && t.startsWith('\n')) t = t.slice(1);
    this.pendingCr = false;
    this.buffer += t;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone CR at the very end may be the first half of CRLF split across chunks.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) this.pendingCr = true;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line, out);
    }
    if (this.buffer.length > MAX_LINE) throw new Error(`an event-stream line longer than ${MAX_LINE} characters`);
    return out;
  }

  /** Ends the stream. An unterminated last event is dropped, as the spec says: the caller sees a cut stream. */
  end(): SseEvent[] {
    this.buffer = '';
    this.data = [];
    this.event = undefined;
    return [];
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length) out.push(this.event === undefined ? { data: this.data.join('\n') } : { event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
