/**
 * Held-out realistic edit answers (test/fixtures/edits-holdout/): new files and answer shapes written after the
 * engine was tuned on edits-realistic, without reading the engine, to measure how it generalises (arrow-function
 * consts, object-literal methods, getters, TSX components, decorator stacks, Go imports, trait impls, Java nested
 * classes, C# properties and expression-bodied members, CRLF, tabs vs spaces, cut-off answers, code that is not in
 * the file). Same format and scorer as realistic.test.ts. It first scored 38/48 with 6 wrong results offered
 * silently; after the core-fix changes all 48 pass (rs-bare-fmt-body-identifies-impl expects the issue policy's refusal).
 */
import { describeRealisticSet } from './realistic-scoring';

describeRealisticSet({
  fixtures: 'edits-holdout',
  title: 'held-out edits',
  minCases: 35,
  languages: ['ts', 'tsx', 'js', 'py', 'go', 'rs', 'java', 'cs'],
  minPerLanguage: 4,
});
