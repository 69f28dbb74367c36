import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Any way a module can be pulled in: static import/export-from, dynamic import(), require(), side-effect import. */
function importedModules(source: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"`])([^'"`]+)\1/g;
  return [...source.matchAll(re)].map((m) => m[2]);
}

describe('architecture: the four rooms', () => {
  const root = repoRoot();
  const forbidden = (spec: string) => spec === 'vscode' || spec.startsWith('vscode/') || spec === 'node-llama-cpp' || spec.startsWith('node-llama-cpp/') || spec.startsWith('@node-llama-cpp/');

  it('src/core imports neither vscode nor node-llama-cpp (static, dynamic or subpath) nor does I/O', () => {
    const offenders: string[] = [];
    for (const f of files(path.join(root, 'src/core'))) {
      for (const spec of importedModules(readFileSync(f, 'utf8'))) {
        if (forbidden(spec) || /^(node:)?(fs|child_process|net|http|https)(\/|$)/.test(spec)) offenders.push(`${path.relative(root, f)} → ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the import detector itself catches every form (positive control)', () => {
    const src = "import * as v from 'vscode';\nconst m = await import(\"node-llama-cpp\");\nconst x = require('node-llama-cpp/dist/x');\nexport { a } from '@node-llama-cpp/linux-x64';\nimport 'vscode';";
    assert.equal(importedModules(src).filter(forbidden).length, 5);
  });

  it('the host never imports node-llama-cpp (it runs only in the worker)', () => {
    const offenders = files(path.join(root, 'src/extension')).filter((f) => importedModules(readFileSync(f, 'utf8')).some((s) => s.includes('node-llama-cpp')));
    assert.deepEqual(offenders, []);
  });

  it('the webview imports its own files, core protocol types and browser libraries — never the host, Node or vscode', () => {
    const browserLibraries = ['dompurify', 'markdown-it', 'highlight.js'];
    for (const f of files(path.join(root, 'src/webview'))) {
      for (const spec of importedModules(readFileSync(f, 'utf8'))) {
        const ok = spec.startsWith('./') || spec.startsWith('../core/protocol/') || browserLibraries.some((l) => spec === l || spec.startsWith(`${l}/`));
        assert.ok(ok, `${path.relative(root, f)} imports ${spec}`);
      }
    }
  });
});
