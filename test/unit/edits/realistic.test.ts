/**
 * Realistic edit answers (issue 11): answers shaped the way small DeepSeek-R1 distills answer edit requests (prose,
 * <think> prefixes, bare/lazy code blocks, SEARCH/REPLACE, diffs with wrong line numbers) over realistic files in
 * TS, JS, Python, Go, Rust, Java, C#, JSON and YAML, in test/fixtures/edits-realistic/. Written before the
 * structure-aware engine, independently of it; the engine was then developed against them. Scored by
 * realistic-scoring.ts.
 */
import { describeRealisticSet } from './realistic-scoring';

describeRealisticSet({
  fixtures: 'edits-realistic',
  title: 'realistic edits',
  minCases: 40,
  languages: ['ts', 'js', 'py', 'go', 'rs', 'java', 'cs'],
  minPerLanguage: 6,
});
