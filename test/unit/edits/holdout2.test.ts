/**
 * Third blind set of realistic edit answers (test/fixtures/edits-holdout2/): 30 cases written after the engine was
 * tuned on edits-realistic and edits-holdout, without reading the engine or running it on them first, to measure
 * how it generalises (generic functions, dataclass, Go struct + method, Rust enum + match, Java interface + impl,
 * C# record, import in the same block as a function, moved method, Before/After blocks, cut-off answers, ...).
 * Same format and scorer as realistic.test.ts.
 */
import { describeRealisticSet } from './realistic-scoring';

describeRealisticSet({
  fixtures: 'edits-holdout2',
  title: 'held-out edits (third set)',
  minCases: 25,
  languages: ['ts', 'tsx', 'js', 'py', 'go', 'rs', 'java', 'cs'],
  minPerLanguage: 3,
});
