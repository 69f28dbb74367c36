import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyModelEdit } from '../../../src/core/edits/index';
import { stripReasoning } from '../../../src/core/edits/strip-reasoning';
import { corpusDir } from '../../support/paths';

function tracesFile(): string | undefined {
  const dir = corpusDir();
  return dir ? path.join(dir, 'r1_traces.jsonl') : undefined;
}

describe('edits: stripReasoning', () => {
  it('drops a full <think>…</think> block', () => {
    const s = stripReasoning('<think>\nplan\n</think>\n\nanswer');
    assert.equal(s.answer.trim(), 'answer');
    assert.equal(s.reasoning, 'plan');
    assert.equal(s.unfinished, false);
  });

  it('treats everything before a lone </think> as reasoning (template pre-filled <think>)', () => {
    const s = stripReasoning('I think we should\n```js\nx()\n```\n</think>\nfinal');
    assert.equal(s.answer.trim(), 'final');
    assert.match(s.reasoning, /```js/);
  });

  it('junk before <think> is not part of the answer', () => {
    assert.equal(stripReasoning('232s\n<think>\nhm\n</think>\nok').answer.trim(), 'ok');
  });

  it('an unclosed <think> means no answer yet', () => {
    const s = stripReasoning('<think>\nstill going <<<<<<< SEARCH');
    assert.equal(s.unfinished, true);
    assert.equal(s.answer, '');
  });

  it('no tags: the whole text is the answer (tool arguments, plain models)', () => {
    assert.equal(stripReasoning('just text').answer, 'just text');
  });

  it('later think blocks are removed too', () => {
    const s = stripReasoning('<think>a</think>one<think>b</think>two');
    assert.equal(s.answer, 'onetwo');
    assert.equal(s.reasoning, 'a\nb');
  });

  describe('real R1 traces from the shared corpus', function () {
    const file = tracesFile();
    const traces: Array<{ id: string; raw: string; answer: string; shape: string }> = file ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    before(function () {
      if (!file) this.skip();
    });
    it('agree with the corpus split (answer after the first </think>)', () => {
      for (const t of traces.filter((x) => x.shape !== 'no-tags-truncated')) {
        assert.equal(stripReasoning(t.raw).answer.trimStart(), t.answer, t.id);
      }
    });
    it('a tag-less trace cut off mid-reasoning yields no edit', () => {
      for (const t of traces.filter((x) => x.shape === 'no-tags-truncated')) {
        assert.equal(applyModelEdit('def f():\n    pass\n', t.raw, { path: 'f.py' }).ok, false, t.id);
      }
    });
  });
});
