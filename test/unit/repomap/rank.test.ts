import assert from 'node:assert/strict';
import { rankDefinitions, renderMap, type Definition, type MapFile } from '../../../src/core/repomap';

const def = (name: string, line = 0, kind: Definition['kind'] = 'function', container?: string): Definition => ({ name, kind, line, signature: `${kind === 'method' ? '' : 'export function '}${name}(x: number): number`, ...(container ? { container } : {}) });
const file = (path: string, defs: Definition[], refs: Record<string, number> = {}): MapFile => ({ path, tags: { defs, refs: Object.entries(refs).sort() } });

/** util.ts is used by four files; leaf.ts by none. */
function graph(): MapFile[] {
  return [
    file('src/util.ts', [def('formatMoney', 0)]),
    file('src/leaf.ts', [def('leafOnly', 0)], { formatMoney: 1 }),
    file('src/a.ts', [def('alpha', 0)], { formatMoney: 3 }),
    file('src/b.ts', [def('bravo', 0)], { formatMoney: 2, alpha: 1 }),
    file('src/c.ts', [def('charlie', 0)], { formatMoney: 1, bravo: 2 }),
  ];
}

const order = (files: MapFile[], focus = {}) => rankDefinitions(files, focus).map((r) => r.def.name);

describe('repository map: ranking', () => {
  it('a heavily referenced util outranks a leaf nobody uses', () => {
    const names = order(graph());
    assert.equal(names[0], 'formatMoney');
    assert.ok(names.indexOf('formatMoney') < names.indexOf('leafOnly'));
    assert.equal(names[names.length - 1], 'leafOnly', 'the unreferenced leaf comes last');
  });

  it('personalisation moves the active file\'s neighbours up', () => {
    // delta is used only by leaf.ts, which nobody uses: low in general, first when leaf.ts is the active file.
    const files = [...graph().filter((f) => f.path !== 'src/leaf.ts'), file('src/leaf.ts', [def('leafOnly', 0)], { delta: 1 }), file('src/d.ts', [def('delta', 0)])];
    const plain = order(files);
    const focused = order(files, { files: ['src/leaf.ts'] });
    assert.ok(plain.indexOf('delta') > plain.indexOf('formatMoney'), plain.join(','));
    assert.equal(focused[0], 'delta', `${plain.join(',')} → ${focused.join(',')}`);
  });

  it('names the request spells out come first, even when nothing references them', () => {
    assert.equal(order(graph(), { identifiers: ['leafOnly'] })[0], 'leafOnly');
  });

  it('a file named like a word of the request joins the focus', () => {
    const files = [...graph(), file('src/retry.ts', [def('attempt', 0)], { charlie: 5 })];
    const plain = order(files);
    const focused = order(files, { identifiers: ['retry'] });
    assert.ok(focused.indexOf('charlie') < plain.indexOf('charlie'), `${plain.join(',')} → ${focused.join(',')}`);
  });

  it('is stable: the same input in any order gives the same ranking', () => {
    const a = rankDefinitions(graph(), { files: ['src/b.ts'] });
    const b = rankDefinitions([...graph()].reverse(), { files: ['src/b.ts'] });
    assert.deepEqual(a, b);
  });

  it('tests and short names weigh less', () => {
    const files = [
      file('src/api.ts', [def('createServer', 0)]),
      file('test/helpers.ts', [def('makeFixture', 0)]),
      file('src/main.ts', [def('main', 0)], { createServer: 1, makeFixture: 1 }),
    ];
    const names = order(files);
    assert.ok(names.indexOf('createServer') < names.indexOf('makeFixture'), names.join(','));
  });
});

describe('repository map: rendering', () => {
  const count = (t: string) => Math.ceil(t.length / 4);

  it('fits the budget, groups signatures by file, best first', () => {
    const ranked = rankDefinitions(graph());
    const r = renderMap(ranked, { budget: 80, count });
    assert.ok(r.tokens <= 80, `${r.tokens} tokens`);
    assert.ok(r.shownDefinitions >= 1 && r.shownDefinitions < r.totalDefinitions, `${r.shownDefinitions}/${r.totalDefinitions}`);
    assert.match(r.text, /^Repository map[^\n]*\nsrc\/util\.ts:\n {2}export function formatMoney\(x: number\): number/);
    const all = renderMap(ranked, { budget: 10_000, count });
    assert.equal(all.shownDefinitions, all.totalDefinitions);
    for (const f of ['src/util.ts', 'src/a.ts', 'src/b.ts', 'src/c.ts', 'src/leaf.ts']) assert.equal(all.text.split(`\n${f}:\n`).length, 2, `${f} appears once`);
  });

  it('shows nothing when nothing fits, and nothing at budget 0', () => {
    const ranked = rankDefinitions(graph());
    assert.equal(renderMap(ranked, { budget: 5, count }).text, '');
    assert.equal(renderMap(ranked, { budget: 0, count }).tokens, 0);
  });

  it('leaves out files already in the prompt', () => {
    const r = renderMap(rankDefinitions(graph()), { budget: 10_000, count, exclude: ['src/util.ts'] });
    assert.doesNotMatch(r.text, /formatMoney/);
    assert.match(r.text, /alpha/);
  });

  it('a member shows under its class, the class line added for context', () => {
    const files = [
      file('src/server.ts', [{ name: 'Server', kind: 'class', line: 0, signature: 'export class Server' }, def('listen', 4, 'method', 'Server'), def('close', 9, 'method', 'Server')]),
      file('src/main.ts', [def('main', 0)], { listen: 4 }),
    ];
    const r = renderMap(rankDefinitions(files), { budget: 1000, count: (t) => (t.includes('close') ? 1e9 : t.length / 4) });
    assert.match(r.text, /src\/server\.ts:\n {2}export class Server\n {4}listen\(x: number\): number/);
  });

  it('gives the same text for the same input', () => {
    const one = renderMap(rankDefinitions(graph(), { files: ['src/a.ts'] }), { budget: 60, count }).text;
    const two = renderMap(rankDefinitions([...graph()].reverse(), { files: ['src/a.ts'] }), { budget: 60, count }).text;
    assert.equal(one, two);
  });
});
