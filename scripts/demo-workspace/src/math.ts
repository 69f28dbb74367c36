// Ponder demo: this file has one deliberate problem, underlined in red. Click it, then the lightbulb → Fix with Ponder.

/** Returns the sum of a and b. */
export function add(a: number, b: number): number {
  return a + b;
}

/** Returns the arithmetic mean of the values (0 for an empty list). */
export function mean(values: number[]): number {
  if (values.length === 0) return 0;
  let total = 0;
  for (const v of values) total = add(total, v);
  return total / values.lenght;
}

console.log(`mean([1, 2, 3]) = ${mean([1, 2, 3])}`);
