import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ReasoningSplitter, splitReasoning, type SplitChunk } from '../../src/core/reasoning/splitter';
import { corpusDir } from '../support/paths';

interface Trace { id: string; raw: string; reasoning: string; answer: string; shape: string }

function streamSplit(raw: string, sizes: readonly number[]): { reasoning: string; answer: string; chunks: SplitChunk[] } {
  const s = new ReasoningSplitter();
  const chunks: SplitChunk[] = [];
  let i = 0;
  let k = 0;
  while (i < raw.length) {
    const n = sizes[k++ % sizes.length];
    chunks.push(...s.push(raw.slice(i, i + n)));
    i += n;
  }
  chunks.push(...s.end());
  const join = (kind: SplitChunk['kind']) => chunks.filter((c) => c.kind === kind).map((c) => c.text).join('');
  return { reasoning: join('reasoning').trim(), answer: join('answer'), chunks };
}

describe('reasoning splitter', () => {
  describe('real R1 outputs from the shared corpus', function () {
    const dir = corpusDir();
    const traces: Trace[] = dir ? readFileSync(path.join(dir, 'r1_traces.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Trace) : [];
    before(function () {
      if (!dir) this.skip(); // the corpus lives in ../shared/corpus; CI always has it
    });
    it('has the 11 traces covering every shape', () => {
      assert.equal(traces.length, 11);
      assert.deepEqual(new Set(traces.map((t) => t.shape)), new Set(['full-tags', 'full-tags-with-prefix', 'empty-think', 'closing-only', 'no-tags-truncated']));
    });
    for (const t of dir ? traces : []) {
      it(`${t.id} (${t.shape}) splits like the reference, whole and streamed in odd chunk sizes`, () => {
        const whole = splitReasoning(t.raw);
        assert.equal(whole.reasoning, t.reasoning);
        assert.equal(whole.answer, t.answer);
        for (const sizes of [[1], [3, 7, 2], [8], [13, 1, 5]]) {
          const streamed = streamSplit(t.raw, sizes);
          assert.equal(streamed.reasoning, t.reasoning, `reasoning with chunk sizes ${sizes}`);
          assert.equal(streamed.answer, t.answer, `answer with chunk sizes ${sizes}`);
          assert.ok(!streamed.chunks.some((c) => c.text.includes('<think>') || c.text.includes('</think>')) || t.answer.includes('think>'), 'no tag leaks into output');
        }
      });
    }
  });

  it('never lets a tag split across chunks leak into the answer', () => {
    const r = streamSplit('<think>a</th', [100]);
    assert.equal(r.reasoning, 'a</th');
    const s = new ReasoningSplitter();
    const out = [...s.push('<thi'), ...s.push('nk>plan</thi'), ...s.push('nk>\n\nDone.'), ...s.end()];
    assert.deepEqual(out.map((c) => c.kind), ['reasoning', 'answer']);
    assert.equal(out[1].text, 'Done.');
  });

  it('streams reasoning before the answer is known (does not hold the whole thought)', () => {
    const s = new ReasoningSplitter({ junkWindow: 8 });
    const early = s.push('Let me think about this problem carefully and at length.');
    assert.ok(early.length > 0 && early[0].kind === 'reasoning', 'reasoning arrives while the thought is still open');
  });

  it('reads untagged text as the answer when told the model is not a reasoning model', () => {
    assert.deepEqual(splitReasoning('Just an answer.', { untagged: 'answer' }), { reasoning: '', answer: 'Just an answer.' });
  });

  it('drops junk before <think> and keeps a later <think> inside the answer as text', () => {
    const r = splitReasoning('232s\n<think>\nplan\n</think>\n\nUse `<think>` tags like <think>this</think>.');
    assert.equal(r.reasoning, 'plan');
    assert.equal(r.answer, 'Use `<think>` tags like <think>this</think>.');
  });
});
