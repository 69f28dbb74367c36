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

describe('architecture: what activation loads', () => {
  // The built host (npm test builds first): which sources each file holds, from its source map.
  const sources = (file: string) => {
    const map = JSON.parse(readFileSync(path.join(repoRoot(), 'dist', `${file}.map`), 'utf8')) as { sources: string[] };
    return map.sources.filter((s) => !s.includes(':')).map((s) => path.relative(repoRoot(), path.resolve(repoRoot(), 'dist', s)));
  };

  it('no module is in both host files: the lazily loaded one takes the rest from extension.js (one log channel, one cache)', () => {
    const host = new Set(sources('extension.js'));
    const lazy = sources('extension-lazy.js');
    assert.ok(host.size > 20 && lazy.length > 20, `both files hold modules (${host.size}, ${lazy.length})`);
    assert.deepEqual(lazy.filter((s) => host.has(s)), []);
  });

  it('activation holds none of the features loaded on first use', () => {
    const host = sources('extension.js');
    const features = ['src/extension/features.ts', 'src/extension/edits/pipeline.ts', 'src/extension/edits/apply.ts', 'src/extension/verify/verifier.ts', 'src/extension/models/picker.ts', 'src/extension/runtime/build-command.ts', 'src/extension/remote/commands.ts'];
    assert.deepEqual(features.filter((f) => host.includes(f)), []);
    const lazy = sources('extension-lazy.js');
    assert.deepEqual(features.filter((f) => !lazy.includes(f)), [], 'they are in extension-lazy.js');
  });
});
