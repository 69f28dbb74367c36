// Ponder demo: this file has one deliberate problem, underlined in red. Click it, then the lightbulb → Fix with Ponder.

/** "Hello, Ada!" when excited, otherwise "Hello, Ada." */
export function greet(name: string, excited: boolean): string {
  const greeting = `Hello, ${name}`;
  if (excited) return `${greeting}!`;
}

console.log(greet('Ada', false));
