/** Where generated tests go: next to the code, named the way the language's test runners look for them. */

export function testFilePath(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  const dir = slash >= 0 ? relPath.slice(0, slash + 1) : '';
  const file = relPath.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot) : '';
  if (ext === '.py') return `${dir}test_${stem}.py`;
  if (ext === '.go') return `${dir}${stem}_test.go`;
  if (ext === '.rb') return `${dir}${stem}_spec.rb`;
  if (ext === '.java' || ext === '.kt' || ext === '.cs') return `${dir}${stem}Test${ext}`;
  return `${dir}${stem}.test${ext}`;
}
