// The chat follows the conversation (built webview, plain Chromium): each new question and its streamed thought and
// answer stay in view while the reader is at the bottom; scrolling up stops the following and offers "Jump to
// latest", which brings the newest text back and resumes following.
import assert from 'node:assert/strict';
import { post, startPanelServer } from './panel-page.mjs';
import { sample } from './transcript.mjs';

const words = (s) => s.split(/(?<=\s)/);
const chunks = (turnId, kind, text) => words(text).map((t) => ({ type: 'panel/chunk', turnId, kind, text: t }));
const ended = (turnId) => ({ type: 'panel/turnEnded', turnId, outcome: { stopReason: 'done', thoughtCutShort: false, stats: sample.stats } });

/** How far the newest text is below the visible part of the chat (0: in view). */
function hiddenBelow(page) {
  return page.evaluate(() => {
    const turns = document.getElementById('turns');
    const last = turns.querySelector('.turn:last-child');
    const text = last?.querySelector('.answer:not(:empty)') ?? last?.querySelector('.thinking-text') ?? last;
    return Math.max(0, Math.round(text.getBoundingClientRect().bottom - turns.getBoundingClientRect().bottom));
  });
}
const scrollTop = (page) => page.evaluate(() => document.getElementById('turns').scrollTop);

describe('the chat follows the conversation (built webview, plain Chromium)', function () {
  this.timeout(120_000);
  let server, page;
  before(async () => {
    server = await startPanelServer();
    ({ page } = await server.open({ width: 300, height: 600 }));
    await post(page, [{ type: 'panel/state', turns: [], status: 'ready', busy: false, reasoningDisplay: 'expanded', chips: [], model: 'm' }]);
  });
  after(async () => server?.close());

  it('three questions in a row: the newest thought and answer are in view while they stream and when done', async () => {
    for (const id of ['q1', 'q2', 'q3']) {
      await post(page, [{ type: 'panel/turnStarted', turnId: id, prompt: `Question ${id}` }]);
      const thought = chunks(id, 'reasoning', sample.reasoning);
      await post(page, thought.slice(0, thought.length / 2), 4);
      assert.equal(await hiddenBelow(page), 0, `${id}: the streaming thought is in view`);
      await post(page, thought.slice(thought.length / 2), 4);
      await post(page, chunks(id, 'answer', sample.answer), 8);
      assert.equal(await hiddenBelow(page), 0, `${id}: the streaming answer is in view`);
      await post(page, [ended(id)]);
      assert.equal(await hiddenBelow(page), 0, `${id}: the finished answer (with its stats) is in view`);
    }
    assert.ok(await scrollTop(page) > 0, 'the chat scrolled');
    assert.equal(await page.locator('#jumpLatest').isVisible(), false, 'no "Jump to latest" while following');
  });

  it('scrolling up stops following; "Jump to latest" brings the newest text back and follows again', async () => {
    await post(page, [{ type: 'panel/turnStarted', turnId: 'q4', prompt: 'One more' }, ...chunks('q4', 'reasoning', sample.reasoning).slice(0, 20)]);
    await page.mouse.move(150, 200);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => document.getElementById('turns').scrollHeight - document.getElementById('turns').scrollTop - document.getElementById('turns').clientHeight > 300);
    const readingAt = await scrollTop(page);
    await post(page, chunks('q4', 'reasoning', sample.reasoning).slice(20), 2);
    assert.equal(await scrollTop(page), readingAt, 'the text being read stays where it is while the stream goes on');
    assert.ok(await hiddenBelow(page) > 0);
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    assert.equal(await jump.isVisible(), true, '"Jump to latest" is offered');
    await jump.click();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    assert.equal(await hiddenBelow(page), 0, 'the newest text is in view after the jump');
    assert.equal(await jump.isVisible(), false);
    await post(page, chunks('q4', 'answer', sample.answer), 8);
    assert.equal(await hiddenBelow(page), 0, 'following again');
  });

  it('scrolling back down to the end resumes following without the button', async () => {
    await post(page, [{ type: 'panel/turnStarted', turnId: 'q5', prompt: 'Last one' }, ...chunks('q5', 'reasoning', sample.reasoning).slice(0, 10)]);
    await page.mouse.move(150, 200);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => !document.getElementById('jumpLatest').hidden);
    await page.mouse.wheel(0, 100_000);
    await page.waitForFunction(() => document.getElementById('jumpLatest').hidden);
    await post(page, chunks('q5', 'reasoning', sample.reasoning).slice(10), 4);
    assert.equal(await hiddenBelow(page), 0);
  });
});
