import assert from 'node:assert/strict';
import { CATALOGUE } from '../../../src/core/models/catalogue';
import { etaSeconds, formatBytes, formatEta, formatProgress, formatSpeed, percent } from '../../../src/core/models/format';
import { assessCatalogue, kvCacheBytes, memoryNeeded, recommended, type SystemMemory } from '../../../src/core/models/recommend';

const GB = 1e9;
const cpu = (totalGb: number, freeGb: number): SystemMemory => ({ totalRamBytes: totalGb * GB, freeRamBytes: freeGb * GB, gpu: false, vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false });

describe('size, speed and ETA text', () => {
  it('formats sizes like the hub (3 significant digits, decimal units)', () => {
    assert.equal(formatBytes(1_117_320_736), '1.12 GB');
    assert.equal(formatBytes(4.68e9), '4.68 GB');
    assert.equal(formatBytes(42.5e9, true), '≈42.5 GB');
    assert.equal(formatBytes(19.9e9, true), '≈19.9 GB');
    assert.equal(formatBytes(9e9, true), '≈9 GB');
    assert.equal(formatBytes(466_624), '467 KB');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(-1), '?');
  });

  it('formats speed, ETA and a whole progress line', () => {
    assert.equal(formatSpeed(12_345_678), '12.3 MB/s');
    assert.equal(formatSpeed(0), '');
    assert.equal(formatEta(45.2), '46 s');
    assert.equal(formatEta(185), '3 min 05 s');
    assert.equal(formatEta(3 * 3600 + 7 * 60), '3 h 07 min');
    assert.equal(formatEta(undefined), '');
    assert.equal(etaSeconds({ downloadedBytes: 0, totalBytes: 100, bytesPerSecond: 0 }), undefined);
    assert.equal(formatProgress({ downloadedBytes: 423e6, totalBytes: 1.12e9, bytesPerSecond: 10e6 }), '423 MB of 1.12 GB · 10 MB/s · 1 min 10 s left');
    assert.equal(formatProgress({ downloadedBytes: 0, totalBytes: 1.12e9, bytesPerSecond: 0 }), '0 B of 1.12 GB');
  });

  it('never shows 100% before the last byte', () => {
    assert.equal(percent({ downloadedBytes: 999, totalBytes: 1000 }), 99);
    assert.equal(percent({ downloadedBytes: 1000, totalBytes: 1000 }), 100);
    assert.equal(percent({ downloadedBytes: 5, totalBytes: 0 }), 0);
  });
});

describe('recommendation from free RAM/VRAM', () => {
  it('estimates memory as weights + an 8k f16 KV cache + overhead', () => {
    const q15 = CATALOGUE[0];
    assert.equal(kvCacheBytes(q15, 8192), 2 * 28 * 2 * 128 * 2 * 8192);
    assert.ok(memoryNeeded(q15, q15.quants[0]) > 1.12e9 && memoryNeeded(q15, q15.quants[0]) < 2e9);
  });

  it('8 GB laptop, CPU only: Qwen-1.5B; the bigger ones say they need more than is free', () => {
    const all = assessCatalogue(cpu(8, 5));
    const r = all.find((a) => a.recommended);
    assert.equal(r?.choice.model.id, 'qwen-1.5b');
    assert.match(r?.reason ?? '', /^Recommended for this machine: needs ≈1\.\d+ GB, 5 GB free \(CPU\)$/);
    const q7 = all.find((a) => a.choice.model.id === 'qwen-7b' && a.choice.file.quant === 'Q4_K_M');
    assert.match(q7?.reason ?? '', /^Not recommended: needs ≈5\.\d+ GB, only 5 GB free now \(close other programs\)$/);
    const l70 = all.find((a) => a.choice.model.id === 'llama-70b' && a.choice.file.quant === 'Q4_K_M');
    assert.equal(l70?.fit, 'too-large');
    assert.match(l70?.reason ?? '', /this machine has 8 GB of RAM/);
    assert.equal(all.filter((a) => a.recommended).length, 1);
  });

  it('32 GB desktop, CPU only: Qwen-7B, and 14B+ are not recommended without a GPU even though they fit', () => {
    const all = assessCatalogue(cpu(32, 26));
    assert.equal(all.find((a) => a.recommended)?.choice.model.id, 'qwen-7b', 'Qwen-7B and Llama-8B are on a par: the smaller wins');
    const q14 = all.find((a) => a.choice.model.id === 'qwen-14b' && a.choice.file.quant === 'Q4_K_M');
    assert.equal(q14?.fit, 'ram');
    assert.match(q14?.reason ?? '', /^Not recommended without a GPU/);
  });

  it('a 24 GB GPU: Qwen-32B on the GPU', () => {
    const r = recommended({ totalRamBytes: 64 * GB, freeRamBytes: 50 * GB, gpu: 'cuda', vramTotalBytes: 24 * GB, vramFreeBytes: 23.5 * GB, unifiedMemory: false });
    assert.equal(r.choice.model.id, 'qwen-32b');
    assert.equal(r.fit, 'gpu');
    assert.match(r.reason, /^Recommended for this machine: needs ≈22\.\d GB, 23\.5 GB of VRAM free$/);
    const l70 = assessCatalogue({ totalRamBytes: 64 * GB, freeRamBytes: 50 * GB, gpu: 'cuda', vramTotalBytes: 24 * GB, vramFreeBytes: 23.5 * GB, unifiedMemory: false })
      .find((a) => a.choice.model.id === 'llama-70b' && a.choice.file.quant === 'Q4_K_M');
    assert.match(l70?.reason ?? '', /^Not recommended: too big for the GPU’s 23\.5 GB, and a 70B model thinks at a few tokens\/s on a CPU$/);
  });

  it('a machine too small for anything still gets the smallest model, with the reason', () => {
    const r = recommended(cpu(2, 0.5));
    assert.equal(r.choice.model.id, 'qwen-1.5b');
    assert.match(r.reason, /^The smallest model, but it needs ≈1\.\d+ GB, only 500 MB free now/);
  });
});
