/** The text of a user-facing notification: exactly one "Ponder" at the start, never "Ponder: Ponder's engine…". */
export function notificationText(message: string): string {
  const text = message.trim();
  // Messages that already open with the product name ("Ponder's engine…", "Ponder could not…") read fine alone.
  return /^Ponder\b/.test(text) ? text : `Ponder: ${text}`;
}

/** Text for places that show markdown verbatim (CodeLens titles, notifications, dialogs, the chat's user bubble): `x` → x. */
export function plainCode(text: string): string {
  return text.replace(/`([^`\n]*)`/g, '$1');
}
