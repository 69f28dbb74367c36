// The demo workspace's deliberate problems (one per file in scripts/demo-workspace/src) and the scripted replies of
// the demo engine for each: its reasoning, the one-line summary and the exact change. The demo engine applies the
// change to whatever code Ponder sends (the function, lines or selection), so the fix fits the lightbulb's range.

/**
 * @typedef {object} DemoProblem
 * @property {string} file        workspace-relative path (as Ponder's prompt names it)
 * @property {string} diagnostic  what the type checker reports (for the README and the tests)
 * @property {string} find        the faulty text, exactly as in the demo file
 * @property {string} replace     the fixed text
 * @property {string} thought     the scripted reasoning
 * @property {string} summary     the sentence before the fixed code block
 * @property {string} explain     the scripted answer to "Explain"
 */

/** @type {readonly DemoProblem[]} */
export const DEMO_PROBLEMS = Object.freeze([
  {
    file: 'src/math.ts',
    diagnostic: "Property 'lenght' does not exist on type 'number[]'. Did you mean 'length'?",
    find: 'values.lenght',
    replace: 'values.length',
    thought: 'The checker says `lenght` does not exist on `number[]`. That is a typo: arrays have `length`. ' +
      'mean() sums the values with add() and divides by the count, so the division must use values.length. ' +
      'Nothing else in the function is wrong: the empty-list guard already returns 0. I will fix only the typo.',
    summary: 'Arrays have `length`, not `lenght`: the division now uses the real count.',
    explain: '`mean` returns the average of a list: 0 for an empty list, otherwise the sum (built with `add`) divided by ' +
      'the number of values.\n\nThe bug: it divides by `values.lenght`, a misspelling of `length`. TypeScript flags it; ' +
      'in plain JavaScript it would be `undefined` and every mean would be `NaN`. Use **Fix with Ponder** on the squiggle.',
  },
  {
    file: 'src/greet.ts',
    diagnostic: "Function lacks ending return statement and return type does not include 'undefined'.",
    find: '  if (excited) return `${greeting}!`;\n',
    replace: '  if (excited) return `${greeting}!`;\n  return `${greeting}.`;\n',
    thought: 'greet() promises a string, but when `excited` is false it falls off the end and returns undefined. ' +
      'The doc comment says the calm form ends with a full stop, so the missing line is `return `${greeting}.`;`. ' +
      'I will add that one return after the excited case and keep everything else.',
    summary: 'Added the missing return for the calm case, so `greet` always returns a string.',
    explain: '`greet` builds "Hello, <name>" and returns it with "!" when `excited` is true.\n\nThe bug: when `excited` is ' +
      'false nothing is returned, so callers get `undefined` although the signature promises a `string`. The doc comment ' +
      'says the calm greeting ends with a full stop. Use **Fix with Ponder** on the squiggle.',
  },
  {
    file: 'src/user.ts',
    diagnostic: "'user.email' is possibly 'undefined'.",
    find: "return user.email.split('@')[1];",
    replace: "return user.email?.split('@')[1] ?? '';",
    thought: '`email` is optional on User, so `user.email.split` throws for a user without an address. ' +
      'The doc comment says to return an empty string then. Optional chaining plus `?? \'\'` does exactly that ' +
      'and also covers an address without "@". One line changes.',
    summary: 'A user without an e-mail address (or one without "@") now gets `""` instead of a crash.',
    explain: '`emailDomain` returns what follows "@" in the user\'s e-mail address.\n\nThe bug: `email` is optional, so ' +
      'for a user without one `user.email.split(…)` throws a TypeError; the doc comment promises `""` instead. Use ' +
      '**Fix with Ponder** on the squiggle.',
  },
]);

/** What the demo engine says when it is asked something it has no script for. */
export const DEMO_GENERIC = Object.freeze({
  thought: 'This is the scripted demo engine, not a real model: it only knows the three deliberate problems of the demo ' +
    'workspace. The most useful thing is to point the user at them and at how to run a real model.',
  answer: 'I am Ponder\'s **demo engine**: scripted replies, no real model, so I cannot answer that.\n\n' +
    'Try what Ponder does with code instead — each file in `src/` has one deliberate problem:\n\n' +
    '- `src/math.ts`, `src/greet.ts`, `src/user.ts`: click the red squiggle, then the lightbulb → **Fix with Ponder**; ' +
    'review the proposal, then **Apply** (one undo restores the file).\n' +
    '- Select a function → lightbulb → **Explain with Ponder**.\n\n' +
    'For real answers, restart with a DeepSeek-R1 distill: `PONDER_MODEL=/path/to/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf npm start`, ' +
    'or choose one with **Ponder: Select Model**.',
});
