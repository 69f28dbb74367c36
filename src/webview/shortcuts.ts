/** The three things the empty panel suggests trying, with the keybindings package.json contributes for them. */
export interface Suggestion {
  readonly command: string;
  /** Key chords as package.json spells them (`ctrl+alt+p`); a unit test keeps them equal to contributes.keybindings. */
  readonly key: string;
  readonly mac: string;
  readonly text: string;
}

export const SUGGESTIONS: readonly Suggestion[] = [
  { command: 'ponder.ask', key: 'ctrl+alt+p', mac: 'cmd+alt+p', text: 'Ask a question in the box below, or from any editor with' },
  { command: 'ponder.explain', key: 'ctrl+alt+e', mac: 'cmd+alt+e', text: 'Select code and have it explained:' },
  { command: 'ponder.fix', key: 'ctrl+alt+f', mac: 'cmd+alt+f', text: 'Put the cursor on a problem and get a fix you preview before it applies:' },
];

/** `ctrl+alt+p` → ["Ctrl", "Alt", "P"]; on a Mac `cmd+alt+p` → ["⌘", "⌥", "P"] (VS Code's own labels). */
export function keyLabels(chord: string, mac: boolean): string[] {
  const names: Record<string, string> = mac
    ? { cmd: '⌘', ctrl: '⌃', alt: '⌥', shift: '⇧' }
    : { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Win' };
  return chord.split('+').map((k) => names[k] ?? k.toUpperCase());
}
