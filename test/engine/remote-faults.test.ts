/**
 * The remote engine's failure paths through the real forked worker, against a small local HTTP server written here.
 * That server is a STAND-IN, used only for what a real llama-server cannot be made to do on cue: answer 401/429/500,
 * refuse connections, cut a stream, send invalid JSON, go silent, use vLLM's `reasoning` field or inline `<think>` tags.
 * Everything a real server can do (separation, abort, follow-up turns, tokenizing) is tested in remote-llama-server.test.ts.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { EngineSpec } from '../../src/core/protocol/engine';
import { EngineClient, EngineRequestError } from '../../src/extension/engine/engine-client';
import { repoRoot } from '../support/paths';

interface Seen { readonly method: string; readonly path: string; readonly headers: http.IncomingHttpHeaders; readonly body: Record<string, unknown> }
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>) => void;

/** One event-stream chunk in OpenAI's shape. */
const delta = (d: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', choices: [{ index: 0, delta: d, finish_reason: null }], ...extra });
const finish = (reason = 'stop', usage?: Record<string, unknown>) => ({ id: 'chatcmpl-standin', choices: [{ index: 0, delta: {}, finish_reason: reason }], ...(usage ? { usage } : {}) });

function sse(res: http.ServerResponse, events: readonly unknown[], { done = true } = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`);
  if (done) res.end('data: [DONE]\n\n');
}

const R1_FIELDS = [delta({ role: 'assistant', content: null }), delta({ reasoning_content: 'The user' }), delta({ reasoning_content: ' greets me.' }), delta({ content: '\n\nHello' }), delta({ content: '!' }), finish('stop', { prompt_tokens: 12, completion_tokens: 4 })];

class StandIn {
  readonly seen: Seen[] = [];
  /** Requests whose connection the client closed before the response ended. */
  closedEarly = 0;
  chat: Handler = (_req, res) => sse(res, R1_FIELDS);
  private readonly server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch { /* keep empty */ }
      this.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.on('close', () => {
        if (!res.writableFinished) this.closedEarly++;
      });
      if (req.headers.authorization !== undefined && req.headers.authorization !== 'Bearer sk-right') {
        const echoed = req.headers.authorization.replace('Bearer ', ''); // as some providers do
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Incorrect API key provided: ${echoed}`, type: 'invalid_request_error' } }));
        return;
      }
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"stand-in-r1","object":"model"}]}');
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        this.chat(req, res, body);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"Not found"}}');
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  chats(): Seen[] {
    return this.seen.filter((s) => s.path === '/v1/chat/completions');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

describe('remote engine: failure paths (stand-in HTTP server, real worker)', function () {
  this.timeout(30_000);
  let standIn: StandIn;
  let baseUrl: string;
  let client: EngineClient;
  let apiKey: string | undefined;
  const logs: string[] = [];
  type RemoteSpec = Extract<EngineSpec, { kind: 'openai-compatible' }>;
  const spec = (extra: Partial<RemoteSpec> = {}): RemoteSpec => ({ kind: 'openai-compatible', baseUrl, model: '', timeoutMs: 5000, ...extra });
  const ask = (text = 'hello', options = {}, callbacks = {}) => client.chat('remote', [{ role: 'user', text }], options, callbacks).result;
  const rejectsWith = async (p: Promise<unknown>, code: string, message: RegExp) => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof EngineRequestError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, message);
      return true;
    });
  };

  before(() => {
    client = new EngineClient({
      workerPath: path.join(repoRoot(), 'dist', 'worker.mjs'),
      log: (level, m) => logs.push(`${level}: ${m}`),
      restartDelayMs: () => 50,
      apiKey: async () => apiKey,
    });
  });
  beforeEach(async () => {
    standIn = new StandIn();
    baseUrl = await standIn.start();
    apiKey = undefined;
  });
  afterEach(async () => {
    await standIn.stop();
  });
  after(async () => {
    await client.dispose();
    assert.ok(!logs.join('\n').includes('sk-'), 'no API key ever reaches a log line');
  });

  it('sends the key and settings headers; without /tokenize, token counts are labelled estimates', async () => {
    apiKey = 'sk-right';
    const status = await client.load(spec({ headers: { 'X-Team': 'ponder' } }));
    assert.equal(status.engine?.name, 'stand-in-r1', 'the first listed model when none is configured');
    assert.equal(status.engine?.tokenCounts, 'estimated');
    assert.match(status.warnings.join('\n'), /does not report its context size.*8192/);
    const r = await ask();
    assert.deepEqual([r.reasoning, r.answer], ['The user greets me.', 'Hello!']);
    assert.deepEqual([r.stats.promptTokens, r.stats.thinkingTokens, r.stats.answerTokens], [12, 2, 2], 'stats from usage');
    const [chat] = standIn.chats();
    assert.equal(chat.headers.authorization, 'Bearer sk-right');
    assert.equal(chat.headers['x-team'], 'ponder');
    assert.equal(chat.body.model, 'stand-in-r1');
    assert.equal(chat.body.stream, true);
    assert.equal(chat.body.reasoning_control, undefined, 'llama-server extensions go only to llama-server');
    const n = await client.countTokens('hello world, how are you?');
    assert.equal(n.estimated, true);
    assert.ok(n.tokens > 3);
  });

  it('401: says the key was refused and how to set another, without repeating the key the server echoed', async () => {
    apiKey = 'sk-wrong';
    await rejectsWith(client.load(spec()), 'REMOTE_AUTH', /refused the request \(HTTP 401 unauthorized\).*Set API Key.*Incorrect API key provided: \[API key\]/);
  });

  it('429 with a short Retry-After is retried once, automatically', async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => {
      if (standIn.chats().length === 1) res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"error":{"message":"slow down"}}');
      else sse(res, R1_FIELDS);
    };
    const r = await ask();
    assert.equal(r.answer, 'Hello!');
    assert.equal(standIn.chats().length, 2);
  });

  it('429 without Retry-After, or with a long one, is reported with the wait and not retried', async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => res.writeHead(429).end('{"error":{"message":"quota"}}');
    await rejectsWith(ask(), 'REMOTE_RATE_LIMITED', /rate-limiting.*Wait a little.*quota/);
    assert.equal(standIn.chats().length, 1);
    standIn.chat = (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end();
    await rejectsWith(ask(), 'REMOTE_RATE_LIMITED', /wait 60 min/);
    assert.equal(standIn.chats().length, 2);
  });

  it('500: a server problem, with what the server said', async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"CUDA out of memory"}}');
    await rejectsWith(ask(), 'REMOTE_ERROR', /HTTP 500.*CUDA out of memory/);
  });

  it('connection refused: names the server and the setting to check', async () => {
    const dead = baseUrl;
    await standIn.stop();
    standIn = new StandIn();
    baseUrl = await standIn.start(); // afterEach stops this one
    await rejectsWith(client.load({ ...spec(), baseUrl: dead }), 'REMOTE_UNREACHABLE', /Cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: nothing is listening there.*ponder\.remote\.baseUrl/);
  });

  it('a stream cut mid-way fails as incomplete, after the pieces that did arrive', async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => {
      sse(res, R1_FIELDS.slice(0, 3), { done: false });
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const got: string[] = [];
    await rejectsWith(ask('hi', {}, { onChunk: (_k: string, t: string) => got.push(t) }), 'REMOTE_ERROR', /incomplete/);
    assert.equal(got.join(''), 'The user greets me.');
  });

  it('an invalid JSON chunk fails clearly and closes the connection', async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => sse(res, [R1_FIELDS[1], '{"choices":[{"delta":{"content":"unterminated'], { done: false });
    await rejectsWith(ask(), 'REMOTE_ERROR', /malformed stream \(an event that is not JSON/);
    const deadline = Date.now() + 5000;
    while (standIn.closedEarly === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(standIn.closedEarly, 1, 'Ponder hung up, so the server can stop generating');
  });

  it('a server that goes silent times out instead of hanging', async () => {
    await client.load(spec({ timeoutMs: 300 }));
    standIn.chat = (_req, res) => sse(res, [R1_FIELDS[1]], { done: false });
    await rejectsWith(ask(), 'REMOTE_TIMEOUT', /sent nothing for 0\.3 s while streaming the reply.*ponder\.remote\.timeoutSeconds/);
  });

  it("vLLM's `reasoning` field works like `reasoning_content`", async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => sse(res, [delta({ reasoning: 'Think' }), delta({ reasoning: 'ing.' }), delta({ content: 'Done.' }), finish()]);
    const r = await ask();
    assert.deepEqual([r.reasoning, r.answer], ['Thinking.', 'Done.']);
  });

  it('inline <think> tags in content (no reasoning parser on the server) are split by Ponder', async () => {
    await client.load(spec());
    standIn.chat = (_req, res) => sse(res, [delta({ content: '<think>\nStep' }), delta({ content: ' one.</thi' }), delta({ content: 'nk>\n\nAnswer' }), delta({ content: ' here.' }), finish()]);
    const chunks: [string, string][] = [];
    const r = await ask('q', {}, { onChunk: (k: string, t: string) => chunks.push([k, t]) });
    assert.deepEqual([r.reasoning, r.answer], ['Step one.', 'Answer here.']);
    assert.ok(chunks.every(([, t]) => !t.includes('<think>') && !t.includes('</think>')), 'no tags reach the panel');
  });

  it('"answer now" on a standard server: stops the stream and continues the assistant message with the thought closed', async () => {
    await client.load(spec());
    standIn.chat = (req, res, body) => {
      if (body.continue_final_message === true) {
        sse(res, [delta({ content: 'Final answer.' }), finish()]);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write(`data: ${JSON.stringify(delta({ reasoning_content: 'hmm ' }))}\n\n`), 5);
      req.socket.on('close', () => clearInterval(t));
    };
    let handle: ReturnType<EngineClient['chat']> | undefined;
    let reasoningChunks = 0;
    handle = client.chat('remote', [{ role: 'user', text: 'think' }], {}, {
      onChunk: (k) => {
        if (k === 'reasoning' && ++reasoningChunks === 5) handle?.endThinking();
      },
    });
    const r = await handle.result;
    assert.equal(r.answer, 'Final answer.');
    assert.equal(r.thoughtCutShort, true);
    const cont = standIn.chats()[1].body;
    assert.equal(cont.add_generation_prompt, false);
    const last = (cont.messages as { role: string; content: string }[]).at(-1);
    assert.equal(last?.role, 'assistant');
    assert.match(last?.content ?? '', /^<think>\nhmm hmm[^]*\n<\/think>\n\n$/);
  });

  it('a thinking budget on a standard server is enforced by Ponder the same way', async () => {
    await client.load(spec());
    standIn.chat = (_req, res, body) => {
      if (body.continue_final_message === true) sse(res, [delta({ content: 'Budgeted answer.' }), finish()]);
      else sse(res, Array.from({ length: 200 }, () => delta({ reasoning_content: 'x ' })), { done: false });
    };
    const r = await ask('q', { maxThinkingTokens: 10 });
    assert.equal(r.answer, 'Budgeted answer.');
    assert.equal(r.thoughtCutShort, true);
    assert.ok(r.reasoning.split(' ').length < 200, 'the thought was cut');
  });

  it('abort closes the HTTP request at once and settles as aborted', async () => {
    await client.load(spec());
    standIn.chat = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write(`data: ${JSON.stringify(delta({ reasoning_content: 'more ' }))}\n\n`), 5);
      req.socket.on('close', () => clearInterval(t));
    };
    const abort = new AbortController();
    let n = 0;
    const r = await ask('q', {}, { signal: abort.signal, onChunk: () => ++n === 3 && abort.abort() });
    assert.equal(r.stopReason, 'aborted');
    const deadline = Date.now() + 5000;
    while (standIn.closedEarly === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    assert.equal(standIn.closedEarly, 1, 'the server saw the connection close');
    standIn.chat = (_req, res) => sse(res, R1_FIELDS);
    assert.equal((await ask()).answer, 'Hello!', 'the engine keeps working');
  });
});
