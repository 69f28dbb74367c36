// Demo file for Ponder. It contains two deliberate problems to ask the model about.

/** Returns the sum of a and b. */
export function add(a: number, b: number): number {
  return a - b; // BUG: should be a + b
}

/** Returns the arithmetic mean of the values (0 for an empty list). */
export function mean(values: number[]): number {
  if (values.length === 0) return 0;
  let total = 0;
  for (const v of values) total = add(total, v);
  return total / values.length;
}

// Type error on purpose: a string is not a number (shows up in the Problems panel).
export const answer: number = "forty-two";

console.log(`add(2, 3) = ${add(2, 3)}`); // prints -1 instead of 5
console.log(`mean([1, 2, 3]) = ${mean([1, 2, 3])}`);
