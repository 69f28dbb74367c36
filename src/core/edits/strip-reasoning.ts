/**
 * Remove DeepSeek-R1 style reasoning from a complete answer. Only text after the reasoning may reach a file.
 * (The streaming splitter lives in src/core/reasoning; this is the small whole-text variant the edit engine needs.)
 *
 * - `<think>…</think>` anywhere: dropped (also further think blocks after the first).
 * - Only a closing `</think>` (template pre-filled `<think>`): everything before it is reasoning.
 * - `<think>` never closed: the model is still reasoning, there is no answer yet.
 * - No tags at all: the whole text is the answer.
 */
export interface StrippedAnswer {
  answer: string;
  reasoning: string;
  /** `<think>` was opened and never closed. */
  unfinished: boolean;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export function stripReasoning(raw: string): StrippedAnswer {
  const close = raw.indexOf(CLOSE);
  if (close < 0) {
    const open = raw.indexOf(OPEN);
    if (open >= 0) return { answer: '', reasoning: raw.slice(open + OPEN.length).trim(), unfinished: true };
    return { answer: raw, reasoning: '', unfinished: false };
  }
  const before = raw.slice(0, close);
  const open = before.indexOf(OPEN);
  const reasoning = [(open >= 0 ? before.slice(open + OPEN.length) : before).trim()];
  let answer = raw.slice(close + CLOSE.length);
  // Later think blocks (some chat UIs concatenate turns) are reasoning too.
  for (;;) {
    const o = answer.indexOf(OPEN);
    if (o < 0) break;
    const c = answer.indexOf(CLOSE, o);
    if (c < 0) {
      reasoning.push(answer.slice(o + OPEN.length).trim());
      return { answer: answer.slice(0, o), reasoning: reasoning.join('\n'), unfinished: true };
    }
    reasoning.push(answer.slice(o + OPEN.length, c).trim());
    answer = answer.slice(0, o) + answer.slice(c + CLOSE.length);
  }
  return { answer, reasoning: reasoning.join('\n'), unfinished: false };
}
