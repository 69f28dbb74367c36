/**
 * The context meter in words. Its percentage is of the room the chat may use, so it passes 100 % exactly when
 * turns are dropped (never "dropping turns 1, 2" at 53 %). Pure, so unit tests check text and number together.
 */
import type { ContextMeter } from '../core/protocol/panel';

export interface MeterView {
  readonly text: string;
  /** Tooltip: what the budget is. */
  readonly title: string;
  readonly percent: number;
  readonly warn: boolean;
}

/** Rounded down while it fits and up once over, so 100 % is shown only when the chat exactly fills its room. */
export function meterPercent(m: Pick<ContextMeter, 'used' | 'budget'>): number {
  if (m.budget <= 0) return m.used > 0 ? 101 : 0;
  const x = (m.used / m.budget) * 100;
  return m.used > m.budget ? Math.max(101, Math.ceil(x)) : Math.floor(x);
}

export function describeMeter(m: ContextMeter): MeterView {
  const percent = meterPercent(m);
  const n = (x: number) => x.toLocaleString('en');
  const about = m.estimated ? '~' : '';
  const drops = m.willDrop.length
    ? ` · dropping turn${m.willDrop.length > 1 ? 's' : ''} ${ranges(m.willDrop)} to fit`
    : percent >= 80 ? ' · older turns will be dropped soon' : '';
  const title = `The chat may use ${n(m.budget)} of the model's ${n(m.size)} tokens; ${n(m.size - m.budget)} stay free for the reasoning and the answer.` +
    (m.estimated ? ' Counts are estimates: the server gives no tokenizer.' : '');
  return { text: `Context ${about}${n(m.used)} / ${n(m.budget)} tokens (${percent}%)${drops}`, title, percent, warn: percent >= 80 || m.willDrop.length > 0 };
}

/** "1–4, 7": consecutive turn numbers as ranges, so a long chat does not list every dropped turn. */
function ranges(numbers: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    out.push(j > i + 1 ? `${numbers[i]}–${numbers[j]}` : j === i + 1 ? `${numbers[i]}, ${numbers[j]}` : `${numbers[i]}`);
    i = j;
  }
  return out.join(', ');
}
