/**
 * Root hook: every unit test runs with the parsers loaded, as the host does before its first edit (the line-based
 * fallback is covered by files without a grammar, e.g. .txt, .yaml).
 */
import { loadTestSyntax } from '../../support/syntax';

before(async function () {
  this.timeout(20_000);
  await loadTestSyntax();
});
