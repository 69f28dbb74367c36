// A realistic chat for the webview tests: an R1-style thought, an answer with long code lines, two code blocks,
// inline code, a table and a long link; a failed turn (Retry), a stopped one, a turn still thinking; chips and meter.

const reasoning = `Okay, so the user wants to know why \`parseConfig\` returns undefined for nested keys. Let me look at the function.
It splits the path on dots and walks the object, but the loop reassigns \`current\` before checking whether the key exists, so a missing intermediate key makes it read a property of undefined... wait, no, it uses optional chaining there. Hmm.
Actually the problem is the early return inside forEach: returning from the callback does not return from parseConfig. So the function always falls through to the final \`return undefined\`.
I should suggest replacing forEach with a for...of loop, or with reduce. A for...of loop is the clearest. Let me also keep the type signature.`;

const answer = `The bug is the \`return\` inside \`forEach\`: it returns from the callback, not from \`parseConfig\`, so the function always reaches the final \`return undefined\`.

Use a \`for…of\` loop instead:

\`\`\`ts
export function parseConfig(config: Record<string, unknown>, keyPath: string, fallback?: unknown): unknown {
  let current: unknown = config;
  for (const key of keyPath.split('.')) {
    if (typeof current !== 'object' || current === null || !(key in current)) return fallback; // a missing key anywhere on the path
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
\`\`\`

And a test that would have caught it:

\`\`\`ts
assert.equal(parseConfig({ server: { port: 8080 } }, 'server.port'), 8080);
assert.equal(parseConfig({}, 'server.port', 3000), 3000);
\`\`\`

| input | before | after |
|---|---|---|
| \`server.port\` | undefined | 8080 |
| \`missing.key\` | undefined | fallback |

See https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/forEach#description_and_a_very_long_anchor for why.`;

const stats = { timeToFirstTokenMs: 412, thinkingTokens: 187, answerTokens: 231, tokensPerSecond: 14.2, promptTokens: 640, prediction: { mode: 'lookup', predicted: 120, accepted: 96, estimatedSpeedup: 1.78 } };

export const CRASH = 'Ponder’s engine process stopped unexpectedly (SIGKILL). It restarts on your next request; "Ponder: Show Logs" has details.';

export const chips = [
  { id: 'f1', kind: 'file', label: 'src/services/configuration/parse-config-with-a-long-name.ts', detail: 'The active editor' },
  { id: 's1', kind: 'selection', label: 'parse-config.ts:12-31', detail: 'The selection' },
  { id: 'd1', kind: 'diagnostics', label: '2 problems', detail: 'Errors in the active file' },
  { id: 'm1', kind: 'file', label: '@bundle.min.js', detail: 'dist/bundle.min.js', note: 'first 1 of 1 lines / 12 KB of 400 KB (one 400 KB line) · minified' },
];

/** panel/state with three finished turns (done with stats, failed with Retry, stopped) and chips. */
export function transcriptState(extra = {}) {
  return {
    type: 'panel/state',
    status: 'DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M · 4096 tokens context',
    busy: false,
    reasoningDisplay: 'collapseWhenDone',
    chips,
    meter: { used: 2410, budget: 2048, size: 4096, willDrop: [1] },
    model: 'DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M',
    turns: [
      { id: 't1', prompt: 'Why does parseConfig return undefined for nested keys like server.port?', reasoning, answer, outcome: { stopReason: 'done', thoughtCutShort: false, thoughtMs: 9300, stats } },
      { id: 't2', prompt: 'And what about arrays?', reasoning: 'Let me think about arrays. The path could contain indexes like items.0.name, and', answer: '', outcome: { stopReason: 'error', thoughtCutShort: false, error: CRASH } },
      { id: 't3', prompt: 'Explain reduce instead', reasoning: 'reduce takes an accumulator', answer: '', outcome: { stopReason: 'aborted', thoughtCutShort: false } },
    ],
    ...extra,
  };
}

/** A fourth turn that is still thinking (live header, Answer now and Stop enabled). */
export function thinkingTurn(turnId = 't4') {
  return [
    { type: 'panel/turnStarted', turnId, prompt: 'Now make it handle arrays and write tests for every case, including empty paths.' },
    // R1 opens its thought with a newline.
    ...['\n', ...reasoning.split(/(?<=\s)/)].map((text) => ({ type: 'panel/chunk', turnId, kind: 'reasoning', text })),
  ];
}

export const sample = { reasoning, answer, stats };
