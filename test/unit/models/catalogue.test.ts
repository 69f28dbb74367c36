import assert from 'node:assert/strict';
import { CATALOGUE, catalogueByFileName, catalogueFileName, catalogueLabel, catalogueRef, catalogueUri, findCatalogue } from '../../../src/core/models/catalogue';
import { parseModelRef } from '../../../src/core/models/model-ref';
import { parseHfUri } from '../../../src/core/models/hf-uri';

describe('model catalogue', () => {
  it('lists the six R1 distills with the hub’s Q4_K_M sizes (≈ where approximate)', () => {
    const rows = CATALOGUE.map((m) => {
      const f = m.quants.find((q) => q.quant === 'Q4_K_M');
      return [m.id, m.repo, f?.sizeBytes, f?.approximate];
    });
    assert.deepEqual(rows, [
      ['qwen-1.5b', 'unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF', 1.12e9, false],
      ['qwen-7b', 'unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF', 4.68e9, false],
      ['llama-8b', 'unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF', 4.92e9, true],
      ['qwen-14b', 'unsloth/DeepSeek-R1-Distill-Qwen-14B-GGUF', 9.0e9, true],
      ['qwen-32b', 'unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF', 19.9e9, true],
      ['llama-70b', 'unsloth/DeepSeek-R1-Distill-Llama-70B-GGUF', 42.5e9, true],
    ]);
    for (const m of CATALOGUE) assert.ok(m.goodFor.length > 20 && m.quants.every((q) => q.sizeBytes > 0));
  });

  it('names files and URIs the way the hub does, and every catalogue URI parses', () => {
    const m = CATALOGUE[1];
    assert.equal(catalogueFileName(m, 'Q8_0'), 'DeepSeek-R1-Distill-Qwen-7B-Q8_0.gguf');
    assert.equal(catalogueUri(m, 'Q4_K_M'), 'hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf');
    for (const c of CATALOGUE) for (const q of c.quants) {
      const r = parseHfUri(catalogueUri(c, q.quant));
      assert.ok(r.ok && r.value.kind === 'file' && r.value.fileName === catalogueFileName(c, q.quant));
    }
  });

  it('finds entries by id (any case, optional quantization) and by file name', () => {
    assert.equal(findCatalogue('qwen-7b')?.file.quant, 'Q4_K_M');
    assert.equal(findCatalogue(' Qwen-7B:q8_0 ')?.file.quant, 'Q8_0');
    assert.equal(findCatalogue('qwen-7b:Q2_K'), undefined, 'a quantization the catalogue does not list');
    assert.equal(findCatalogue('qwen-9b'), undefined);
    assert.equal(findCatalogue('model.gguf'), undefined);
    assert.equal(catalogueRef(CATALOGUE[0], 'Q4_K_M'), 'qwen-1.5b');
    assert.equal(catalogueRef(CATALOGUE[0], 'Q8_0'), 'qwen-1.5b:Q8_0');
    const byName = catalogueByFileName('deepseek-r1-distill-llama-8b-q5_k_m.gguf');
    assert.ok(byName);
    assert.equal(catalogueLabel(byName), 'R1 Llama-8B Q5_K_M');
  });

  it('tells a catalogue id, an hf: URI and a path apart in ponder.model', () => {
    assert.equal(parseModelRef('').kind, 'none');
    const c = parseModelRef('llama-70b');
    assert.ok(c.kind === 'catalogue' && c.fileName === 'DeepSeek-R1-Distill-Llama-70B-Q4_K_M.gguf');
    assert.equal(parseModelRef('hf:unsloth/X-GGUF:Q4_K_M').kind, 'hf');
    assert.equal(parseModelRef('hf:unsloth').kind, 'invalid');
    assert.deepEqual(parseModelRef('models/qwen-7b.gguf'), { kind: 'path', path: 'models/qwen-7b.gguf' });
    assert.deepEqual(parseModelRef('~/m.gguf'), { kind: 'path', path: '~/m.gguf' });
  });
});
