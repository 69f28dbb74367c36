// The demo engine for `npm start`: a tiny OpenAI-compatible server on 127.0.0.1 that streams R1-style scripted replies
// (reasoning in `delta.reasoning_content`, then the answer). Unlike a generated GGUF, whose greedy output is one fixed
// chain whatever the prompt, it reads Ponder's prompt — the task, the file, the code to change — so every lightbulb
// in the demo workspace gets the fix for its own problem. Node's standard library only; no network beyond loopback.
import http from 'node:http';
import { DEMO_GENERIC, DEMO_PROBLEMS } from './problems.mjs';

export const DEMO_MODEL_ID = 'scripted demo';

/** The task, file and code of one of Ponder's editor prompts (see src/core/context/prompt.ts); undefined for chat. */
export function readTaskPrompt(prompt) {
  const head = /^(Explain|Fix a problem in|Refactor|Change|Write unit tests for) code from `([^`]+)`/.exec(prompt);
  if (!head) return undefined;
  const task = { Explain: 'explain', 'Fix a problem in': 'fix', Refactor: 'refactor', Change: 'edit', 'Write unit tests for': 'tests' }[head[1]];
  // The target block follows "The code to change — …:" (or "The code — …:" for explain/tests), in the longest fence.
  const at = prompt.search(/^The code( to change)? — /m);
  let code;
  if (at >= 0) {
    const m = /\n(`{3,})[^\n]*\n([\s\S]*?)\n\1(?:\n|$)/.exec(prompt.slice(at));
    code = m?.[2];
  }
  return { task, file: head[2], code, lang: /```(\w*)/.exec(prompt.slice(Math.max(0, at)))?.[1] ?? '' };
}

/** The scripted reply for a prompt: `{ thought, answer }`. */
export function demoReply(prompt) {
  const t = readTaskPrompt(prompt);
  if (!t) return DEMO_GENERIC;
  const problem = DEMO_PROBLEMS.find((p) => p.file === t.file);
  if (!problem) {
    return {
      thought: `The demo engine has no script for ${t.file}; it only knows the deliberate problems in ${DEMO_PROBLEMS.map((p) => p.file).join(', ')}.`,
      answer: `The demo engine only knows the deliberate problems in ${DEMO_PROBLEMS.map((p) => `\`${p.file}\``).join(', ')}, not \`${t.file}\`. ${DEMO_GENERIC.answer.split('\n\n').slice(-1)[0]}`,
    };
  }
  if (t.task === 'explain') return { thought: problem.thought, answer: problem.explain };
  if (t.task === 'tests') return { thought: problem.thought, answer: `The demo engine writes no tests. ${problem.explain}` };
  if (t.code === undefined || !t.code.includes(problem.find.trim())) {
    return {
      thought: `This code from ${t.file} does not contain the deliberate problem (${problem.diagnostic}), and the demo engine knows no other change.`,
      answer: `I see nothing to change in this part of \`${t.file}\`. Its deliberate problem is elsewhere: ${problem.diagnostic} Put the cursor on the red squiggle and use the lightbulb → **Fix with Ponder**.`,
    };
  }
  const fixed = t.code.includes(problem.find) ? t.code.replace(problem.find, problem.replace) : t.code.replace(problem.find.trim(), problem.replace.trim());
  return { thought: problem.thought, answer: `${problem.summary}\n\n\`\`\`${t.lang}\n${fixed}\n\`\`\`` };
}

/** Splits text into small streamed pieces (words with their spaces), like tokens. */
const pieces = (text) => text.match(/\s*\S+|\s+$/g) ?? [];

/**
 * Starts the demo engine. opts: { port = 0, delayMs = 30 } → { baseUrl, port, close() }.
 * `delayMs` paces the stream so the reasoning is visibly streamed in the panel.
 */
export async function startDemoEngine({ port = 0, delayMs = 30 } = {}) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let n = 0;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: DEMO_MODEL_ID, object: 'model', owned_by: 'ponder', max_model_len: 16384 }] }));
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `the demo engine has no ${req.method} ${url.pathname}` } }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    let request;
    try { request = JSON.parse(body); } catch { request = undefined; }
    const messages = Array.isArray(request?.messages) ? request.messages : [];
    const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
    const reply = demoReply(typeof lastUser?.content === 'string' ? lastUser.content : '');
    // "Answer now" on a standard server: Ponder stops the stream and asks to continue the assistant message.
    const continuing = request?.continue_final_message === true;
    const id = `demo-${++n}`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let closed = false;
    res.on('close', () => (closed = true));
    const send = (delta, extra = {}) => res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: DEMO_MODEL_ID, choices: [{ index: 0, delta, finish_reason: null, ...extra }] })}\n\n`);
    let reasoningTokens = 0;
    let answerTokens = 0;
    if (!continuing) {
      for (const p of pieces(reply.thought)) {
        if (closed) return;
        send({ reasoning_content: p });
        reasoningTokens++;
        await sleep(delayMs);
      }
    }
    for (const p of pieces(reply.answer)) {
      if (closed) return;
      send({ content: p });
      answerTokens++;
      await sleep(delayMs / 3);
    }
    if (closed) return;
    send({}, { finish_reason: 'stop' });
    const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: reasoningTokens + answerTokens, total_tokens: promptTokens + reasoningTokens + answerTokens, completion_tokens_details: { reasoning_tokens: reasoningTokens } } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    port: actual,
    baseUrl: `http://127.0.0.1:${actual}/v1`,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}
