/**
 * Model output → safe HTML. Model text is hostile input: markdown-it with raw HTML disabled, links limited to
 * http(s)/mailto and turned into host-validated `data-href`s, images never loaded, and DOMPurify over the result
 * with an explicit allow-list. Shared by the webview and its unit tests (jsdom supplies the window there).
 */
import MarkdownIt from 'markdown-it';
import type { DOMPurify } from 'dompurify';
import { highlight } from './highlight';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'div',
];
const ALLOWED_ATTR = ['class', 'href', 'data-href', 'data-lang', 'title', 'role', 'tabindex', 'start', 'align'];
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

export type RenderMarkdown = (text: string) => string;

export function createMarkdownRenderer(purify: DOMPurify): RenderMarkdown {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, highlight: (code, lang) => highlight(code, lang) });
  md.validateLink = (url: string) => SAFE_LINK.test(url.trim()); // javascript:, data:, vbscript: … stay plain text
  // Images would load from anywhere (an exfiltration channel): show the alt text instead.
  md.renderer.rules.image = (tokens, idx) => `<span class="image-placeholder" title="Image not loaded">[image: ${md.utils.escapeHtml(tokens[idx].content)}]</span>`;
  md.renderer.rules.fence = (tokens, idx) => {
    const t = tokens[idx];
    const lang = t.info.trim().split(/\s+/)[0] ?? '';
    const safeLang = md.utils.escapeHtml(lang.replace(/[^\w+#.-]/g, ''));
    return `<div class="code-block" data-lang="${safeLang}"><pre><code class="hljs${safeLang ? ` language-${safeLang}` : ''}">${highlight(t.content, lang)}</code></pre></div>\n`;
  };

  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    node.removeAttribute('href'); // links open only through the host, after it validates them
    if (SAFE_LINK.test(href)) {
      node.setAttribute('data-href', href);
      node.setAttribute('title', href);
      node.setAttribute('role', 'link');
      node.setAttribute('tabindex', '0');
    }
  });

  return (text: string) => purify.sanitize(md.render(text), { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ADD_URI_SAFE_ATTR: ['data-href'] });
}
