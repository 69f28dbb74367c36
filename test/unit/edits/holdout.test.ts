/**
 * Held-out realistic edit answers (test/fixtures/edits-holdout/): new files and answer shapes written after the
 * engine was tuned on edits-realistic, without reading the engine, to measure how it generalises (arrow-function
 * consts, object-literal methods, getters, TSX components, decorator stacks, Go imports, trait impls, Java nested
 * classes, C# properties and expression-bodied members, CRLF, tabs vs spaces, cut-off answers, code that is not in
 * the file). Same format and scorer as realistic.test.ts.
 */
import { describeRealisticSet } from './realistic-scoring';

describeRealisticSet({
  fixtures: 'edits-holdout',
  title: 'held-out edits',
  minCases: 35,
  languages: ['ts', 'tsx', 'js', 'py', 'go', 'rs', 'java', 'cs'],
  minPerLanguage: 4,
});
