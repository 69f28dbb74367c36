const root = process.cwd();
const { loadTestSyntax } = require(root + '/out/test/support/syntax.js');
const rt = require(root + '/out/src/core/edits/syntax/runtime.js');
const de = require(root + '/out/src/core/edits/syntax/declarations.js');
const { applyModelEdit } = require(root + '/out/src/core/edits/index.js');
(async () => {
  const { editCases } = await import('./bench/lib/big-file.mjs');
  const { original, cases } = editCases();
  await loadTestSyntax();
  const lines = original.split('\n'); lines.pop();
  const text = lines.join('\n');
  rt.parseText('typescript', text);
  for (let i = 0; i < 3; i++) {
    let t = performance.now(); const tree = rt.parseText('typescript', text); const t1 = performance.now();
    const d = de.declarations(tree, lines, 'typescript'); const t2 = performance.now();
    const n = de.findNested(tree, lines, 'typescript', 'zzz'); const t3 = performance.now();
    console.log('hit', (t1 - t).toFixed(1), 'decls', (t2 - t1).toFixed(1), d.length, 'nested', (t3 - t2).toFixed(1));
  }
  for (const c of cases) { for (let i = 0; i < 3; i++) { const t = performance.now(); const r = applyModelEdit(original, c.response, c.options); console.log(c.id, (performance.now() - t).toFixed(1), r.ok); } }
})();
