// Layout of the BUILT side panel in plain Chromium at the default sidebar width (300 px) and a wide one (500 px), in
// Dark Modern, Light Modern and High Contrast as VS Code themes a webview: no button label wraps, nothing spills
// sideways, narrow panels get named icon buttons, text stays readable, Retry is a real button, and the empty chat
// explains Ponder. (code-server cannot set the sidebar width reliably, hence plain Chromium.)
import assert from 'node:assert/strict';
import { post, posted, startPanelServer, THEME_FILES } from './panel-page.mjs';
import { CRASH, thinkingTurn, transcriptState } from './transcript.mjs';

/** Runs in the page: everything a user would see as broken layout, as readable strings. */
function layoutProblems() {
  const problems = [];
  const name = (e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''}${e.dataset.action ? `[${e.dataset.action}]` : ''}`;
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw} px)`);
  for (const e of document.querySelectorAll('#turns, #composer, #status, #welcome, #chips')) {
    if (visible(e) && e.scrollWidth > e.clientWidth + 1) problems.push(`${name(e)} overflows sideways (${e.scrollWidth} > ${e.clientWidth} px)`);
  }
  for (const e of document.body.querySelectorAll('*')) {
    if (!visible(e) || e.closest('pre, table, .visually-hidden')) continue; // code and tables scroll sideways by design
    const r = e.getBoundingClientRect();
    if (r.right > vw + 0.5 || r.left < -0.5) problems.push(`${name(e)} sticks out of the panel (${Math.round(r.left)}..${Math.round(r.right)} of ${vw} px)`);
  }
  for (const b of document.querySelectorAll('button')) {
    if (!visible(b)) continue;
    const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!t.textContent.trim() || !visible(t.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(t);
      const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) problems.push(`${name(b)}: "${t.textContent.trim()}" wraps onto ${lines.size} lines`);
    }
    const parts = Array.from(b.children).filter(visible).map((c) => c.getBoundingClientRect());
    if (parts.length > 1 && Math.max(...parts.map((r) => r.top)) >= Math.min(...parts.map((r) => r.bottom))) problems.push(`${name(b)}: icon and label are on different lines`);
    if (b.scrollWidth > b.clientWidth + 1) problems.push(`${name(b)}: its label is clipped`);
    const shownText = b.innerText.trim();
    const accessibleName = b.getAttribute('aria-label')?.trim() || shownText || b.title.trim();
    if (!accessibleName) problems.push(`${name(b)} has no accessible name`);
    if (!shownText && !b.title) problems.push(`${name(b)} shows only an icon but has no tooltip`);
  }
  return problems;
}

/** Runs in the page: text whose contrast against what is behind it is below WCAG AA (4.5:1; 3:1 for syntax colours). */
function contrastProblems() {
  const rgba = (s) => (s.match(/[\d.]+/g) ?? []).map(Number).concat(1).slice(0, 4);
  const over = (fg, bg) => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (e) => {
    const layers = [];
    for (let n = e; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 0, 255, 1]); // magenta: nothing opaque behind
  };
  const problems = [];
  const texts = document.querySelectorAll('button:not(:disabled), .user, .thinking-header, .thinking-text, .answer p, .answer td, .stats, .note, .error-text, .status, .meter, .chip, .welcome p, .welcome li, kbd, .answer code, .code-block code, .code-block code span');
  for (const e of texts) {
    if (!e.getClientRects().length || !e.innerText.trim()) continue;
    const bg = background(e);
    const fg = over(rgba(getComputedStyle(e).color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    // Syntax colours come from the theme's symbol colours (Light Modern's are ~4.3:1, as in its own editor): 3:1 there.
    const needed = e.matches('.code-block code span[class^="hljs-"]') ? 3 : 4.5;
    if (ratio < needed) problems.push(`"${e.innerText.trim().slice(0, 30)}" (${e.className || e.tagName}) has contrast ${ratio.toFixed(2)}:1`);
  }
  return problems;
}

describe('side panel layout (built webview, plain Chromium)', function () {
  this.timeout(120_000);
  let server;
  before(async () => {
    server = await startPanelServer();
  });
  after(async () => server?.close());

  for (const themeName of THEME_FILES) {
    for (const width of [300, 500]) {
      it(`${themeName} at ${width} px: no label wraps, nothing spills sideways, text is readable`, async () => {
        const { page, errors } = await server.open({ width, themeName });
        await post(page, [transcriptState()]);
        await post(page, thinkingTurn(), 20);
        assert.match(await page.locator('.turn[data-state="streaming"] .thinking-header').innerText(), /^Thinking… /);
        const thought = page.locator('.turn[data-state="streaming"] .thinking-text');
        assert.match(await thought.innerText(), /^Okay, so/, 'no blank line above the thought');
        assert.match(await thought.textContent(), /^\nOkay, so/, 'the text (and its offsets) is what was streamed');
        assert.deepEqual(await page.evaluate(layoutProblems), []);
        assert.deepEqual(await page.evaluate(contrastProblems), []);
        // Narrow: the code block actions and Answer now / Stop are icons (named, with tooltips); wide: words.
        const codeLabels = page.locator('.turn').first().locator('.code-actions .label');
        assert.equal(await codeLabels.count(), 6, 'two code blocks with three actions each');
        const shown = async (loc) => (await loc.evaluateAll((ls) => ls.map((l) => l.getClientRects().length > 0)));
        assert.deepEqual(await shown(codeLabels), Array(6).fill(width >= 500), 'code action labels');
        assert.deepEqual(await shown(page.locator('#answerNow .label, #stop .label')), [width >= 500, width >= 500], 'Answer now / Stop labels');
        for (const [action, label] of [['copy', 'Copy'], ['insert', 'Insert at cursor'], ['apply', 'Apply to file…']]) {
          assert.equal(await page.getByRole('button', { name: label, exact: true }).first().getAttribute('data-action'), action, `${label} is reachable by its name`);
        }
        assert.equal(await page.getByRole('button', { name: 'Answer now' }).isEnabled(), true);
        // Retry is a real button: its own background, button-sized, inside the error box with the whole message.
        const retry = page.locator('.turn[data-state="error"] button[data-action="retry"]');
        const look = await retry.evaluate((b) => {
          const s = getComputedStyle(b);
          return { bg: s.backgroundColor, border: s.borderTopWidth !== '0px' && !/rgba\(\d+, \d+, \d+, 0\)/.test(s.borderTopColor) ? s.borderTopColor : undefined, box: getComputedStyle(b.closest('.error')).backgroundColor, h: b.getBoundingClientRect().height, text: b.innerText.trim() };
        });
        assert.equal(look.text, 'Retry');
        if (themeName === 'high-contrast') assert.ok(look.border, 'Retry is outlined like every high-contrast button');
        else assert.ok(look.bg !== 'rgba(0, 0, 0, 0)' && look.bg !== look.box, `Retry has a button background of its own (${look.bg} on ${look.box})`);
        assert.ok(look.h >= 22, `Retry is ${look.h} px tall`);
        assert.equal(await page.locator('.turn[data-state="error"] .error-text').innerText(), CRASH);
        // Speculative decoding: this turn's predicted / accepted tokens and a speed-up that says it is an estimate (not timed).
        assert.match(await page.locator('.turn').first().locator('.stats').innerText(), /14\.2 tok\/s · prompt lookup: 120 predicted, 96 accepted · ≈1\.8× faster \(est\.\)$/);
        // The longest stats line: both predictors, the draft paused by the gate, the speed-up timed — it wraps inside the panel, readable.
        const state = transcriptState();
        const paused = { mode: 'lookup+draft', predicted: 48, accepted: 20, estimatedSpeedup: 0.93, measuredSpeedup: 0.82, draftPaused: true };
        state.turns[0] = { ...state.turns[0], outcome: { ...state.turns[0].outcome, stats: { ...state.turns[0].outcome.stats, prediction: paused } } };
        await post(page, [state]);
        const pausedLine = page.locator('.turn').first().locator('.stats');
        assert.match(await pausedLine.innerText(), /prompt lookup \+ draft model: 48 predicted, 20 accepted · draft paused: slower than without it · 0\.8× speed \(timed\)$/);
        assert.match(await pausedLine.locator('.prediction').getAttribute('title'), /speed-up is timed: this answer's decode steps.*draft model is paused in this chat: decoding with it was measured slower/);
        assert.deepEqual(await page.evaluate(layoutProblems), []);
        assert.deepEqual(await page.evaluate(contrastProblems), []);
        assert.deepEqual(errors, []);
        await page.close();
      });
    }

    it(`${themeName}: the empty chat says what Ponder is, which model answers and three things to try`, async () => {
      const { page } = await server.open({ width: 300, themeName });
      await post(page, [transcriptState({ turns: [], meter: undefined })]);
      const welcome = page.locator('#welcome');
      assert.equal(await welcome.isVisible(), true);
      const text = await welcome.innerText();
      assert.match(text, /reasoning model that runs on this computer/);
      assert.match(text, /Model: DeepSeek-R1-Distill-Qwen-1\.5B Q4_K_M/);
      const tries = await welcome.locator('li').allInnerTexts();
      assert.equal(tries.length, 3);
      assert.match(tries.join('\n'), /Ctrl\+Alt\+P[\s\S]*Ctrl\+Alt\+E[\s\S]*Ctrl\+Alt\+F/);
      assert.deepEqual(await page.evaluate(layoutProblems), []);
      assert.deepEqual(await page.evaluate(contrastProblems), []);
      await welcome.getByRole('button', { name: 'Change…' }).click();
      assert.ok((await posted(page)).some((m) => m.type === 'panel/selectModel'), 'Change… opens the model picker');
      // No model yet: the button says what to do.
      await post(page, [{ type: 'panel/status', text: 'No model: choose one with "Ponder: Select Model"', busy: false }]);
      assert.match(await welcome.innerText(), /No model chosen yet/);
      assert.equal(await welcome.getByRole('button', { name: 'Choose a model…' }).isVisible(), true);
      // The first question replaces the introduction.
      await post(page, [{ type: 'panel/turnStarted', turnId: 'n1', prompt: 'hello' }]);
      assert.equal(await welcome.isVisible(), false);
      await page.close();
    });
  }
});
