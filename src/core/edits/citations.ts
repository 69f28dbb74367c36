/**
 * Which passage of the reasoning a change came from — only when the reasoning actually names the changed code
 * (a line the hunk adds, or removes when it only deletes). No such mention → no link; nothing is guessed.
 */
export interface ReasoningPassage {
  /** UTF-16 offsets into the reasoning text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const MIN_CODE = 6; // shorter fragments ("}", "x = 1") appear in reasoning by chance

export function findReasoningPassage(reasoning: string, hunkLines: readonly string[]): ReasoningPassage | undefined {
  const added = hunkLines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
  const candidates = (added.length ? added : hunkLines.filter((l) => l.startsWith('-')).map((l) => l.slice(1)))
    .map((l) => l.trim().replace(/[;,{]+$/, '').trim())
    .filter((l) => l.length >= MIN_CODE)
    .sort((a, b) => b.length - a.length); // the most specific mention wins
  for (const code of candidates) {
    const at = reasoning.indexOf(code);
    if (at < 0) continue;
    const start = sentenceStart(reasoning, at);
    const end = sentenceEnd(reasoning, at + code.length);
    return { start, end, text: reasoning.slice(start, end) };
  }
  return undefined;
}

function sentenceStart(text: string, from: number): number {
  for (let i = from - 1; i >= 0; i--) {
    if (text[i] === '\n' || (/[.!?]/.test(text[i]) && /\s/.test(text[i + 1] ?? ''))) return skipSpace(text, i + 1);
  }
  return 0;
}

function sentenceEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\n') return i;
    if (/[.!?]/.test(text[i]) && (i + 1 === text.length || /\s/.test(text[i + 1]))) return i + 1;
  }
  return text.length;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}
