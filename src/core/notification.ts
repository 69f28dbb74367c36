/** The text of a user-facing notification: exactly one "Ponder" at the start, never "Ponder: Ponder's engine…". */
export function notificationText(message: string): string {
  const text = message.trim();
  // Messages that already open with the product name ("Ponder's engine…", "Ponder could not…") read fine alone.
  return /^Ponder\b/.test(text) ? text : `Ponder: ${text}`;
}
