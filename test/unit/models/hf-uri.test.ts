import assert from 'node:assert/strict';
import { canonicalHfUri, hfFileUrl, hfManifestUrl, hfTreeUrl, looksLikeHfUri, parseHfUri } from '../../../src/core/models/hf-uri';

describe('hf: URI parsing and validation', () => {
  it('parses quantization URIs (tag upper-cased, none = the repository default)', () => {
    assert.deepEqual(parseHfUri('hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:q4_k_m'), {
      ok: true,
      value: { kind: 'quant', user: 'unsloth', repo: 'DeepSeek-R1-Distill-Qwen-7B-GGUF', tag: 'Q4_K_M', uri: 'hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q4_K_M' },
    });
    const latest = parseHfUri('huggingface:bartowski/Some-GGUF');
    assert.ok(latest.ok && latest.value.kind === 'quant' && latest.value.tag === 'latest' && latest.value.uri === 'hf:bartowski/Some-GGUF');
  });

  it('parses file URIs, with folders and a revision', () => {
    const r = parseHfUri('hf:user/repo/sub/dir/model-Q8_0.gguf#dev');
    assert.ok(r.ok && r.value.kind === 'file');
    assert.deepEqual(r.value, { kind: 'file', user: 'user', repo: 'repo', revision: 'dev', path: 'sub/dir/model-Q8_0.gguf', fileName: 'model-Q8_0.gguf', uri: 'hf:user/repo/sub/dir/model-Q8_0.gguf#dev' });
    assert.equal(canonicalHfUri('hf://user/repo/m.gguf'), 'hf:user/repo/m.gguf');
  });

  it('accepts a pasted huggingface.co link to a file', () => {
    assert.equal(canonicalHfUri('https://huggingface.co/unsloth/R-GGUF/resolve/main/R-Q4_K_M.gguf?download=true'), 'hf:unsloth/R-GGUF/R-Q4_K_M.gguf');
    assert.equal(canonicalHfUri('huggingface.co/unsloth/R-GGUF/blob/v2/x%20y.gguf'), 'hf:unsloth/R-GGUF/x y.gguf#v2');
    assert.equal(parseHfUri('https://huggingface.co/unsloth/R-GGUF').ok, false, 'a repository page is not a file');
  });

  const bad: [string, RegExp][] = [
    ['hf:', /user and a repository/],
    ['hf:user', /user and a repository/],
    ['hf:../etc/passwd.gguf', /invalid user or repository/],
    ['hf:user/repo/../../x.gguf', /invalid file path/],
    ['hf:user/repo/model.bin', /does not name a \.gguf file/],
    ['hf:user/repo:Q4:K', /more than one/],
    ['hf:user/repo:Q4 K', /invalid quantization/],
    ['hf:user/repo/x.gguf#../main', /invalid revision/],
    ['hf:user/repo/m-00001-of-00003.gguf', /split model/],
    ['hf:us er/repo:Q4_K_M', /invalid user/],
    ['/home/me/model.gguf', /not a Hugging Face URI/],
  ];
  for (const [input, why] of bad) {
    it(`rejects ${JSON.stringify(input)}, saying why`, () => {
      const r = parseHfUri(input);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, why);
    });
  }

  it('recognizes what is meant as a Hugging Face reference', () => {
    assert.ok(looksLikeHfUri('hf:x/y') && looksLikeHfUri('HF:x') && looksLikeHfUri('https://hf.co/x/y/resolve/main/z.gguf'));
    assert.ok(!looksLikeHfUri('/models/x.gguf') && !looksLikeHfUri('qwen-7b') && !looksLikeHfUri('https://example.com/x.gguf'));
  });

  it('builds the hub URLs the downloader asks, encoding every segment', () => {
    const f = parseHfUri('hf:u/r/a b/c.gguf');
    assert.ok(f.ok && f.value.kind === 'file');
    assert.equal(hfFileUrl('http://127.0.0.1:9/', f.value), 'http://127.0.0.1:9/u/r/resolve/main/a%20b/c.gguf');
    assert.equal(hfTreeUrl('https://huggingface.co', 'u', 'r', 'main', 'a b'), 'https://huggingface.co/api/models/u/r/tree/main/a%20b');
    assert.equal(hfManifestUrl('https://huggingface.co/', 'u', 'r', 'Q4_K_M'), 'https://huggingface.co/v2/u/r/manifests/Q4_K_M');
  });
});
