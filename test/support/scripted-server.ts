/**
 * A SCRIPTED STAND-IN for an OpenAI-compatible server (not a model): request N to /v1/chat/completions gets reply
 * N of the script, streamed as server-sent events with the reasoning in `reasoning_content` (as llama-server,
 * vLLM and DeepSeek's API send it) and the answer in `content`. Every request's messages are recorded.
 *
 * The generated GGUF test models always give the same reply whatever the prompt, so flows that need a second,
 * different answer (Ask Ponder to redo it, repair after verification) use this through the real remote engine
 * (`ponder.engine = openai-compatible`, `ponder.remote.baseUrl` = `baseUrl`). Tests in another process (the VS
 * Code extension host) script it and read the recorded prompts over HTTP: `scriptReplies(root, …)` /
 * `recordedRequests(root)` below (POST /stand-in/script, GET /stand-in/requests). KV-cache reuse of follow-up
 * turns is NOT measured here (nothing is cached); `npm run bench` measures it with the local engine.
 */
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  readonly reasoning: string;
  readonly answer: string;
  /** `stop` (default) or `length` (the answer was cut by the token limit). */
  readonly finishReason?: 'stop' | 'length';
  /** Pause before each streamed chunk (ms), so a test can Stop a turn mid-stream. Default 0. */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  /** 1-based number of the chat request since the script was last set. */
  readonly n: number;
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string }>;
  /** The last user message: what this turn asked. */
  readonly prompt: string;
}

export interface ScriptedServer {
  /** OpenAI base URL (…/v1) for `ponder.remote.baseUrl`. */
  readonly baseUrl: string;
  /** Server root, for the /stand-in/* control endpoints. */
  readonly root: string;
  /** Replaces the script (reply N answers chat request N from now on) and clears the recorded requests. */
  script(replies: readonly ScriptedReply[]): void;
  /** The chat requests since the script was last set, in order. */
  readonly requests: readonly RecordedRequest[];
  stop(): Promise<void>;
}

const CONTEXT_SIZE = 8192;
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-scripted-stand-in', object: 'chat.completion.chunk', model: 'scripted-stand-in', choices: [{ index: 0, delta, finish_reason: finish }] });
/** Splits text into a few pieces, so the client really assembles a stream. */
const pieces = (text: string): string[] => text.match(/[\s\S]{1,24}/g) ?? [];
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseReplies(v: unknown): ScriptedReply[] | undefined {
  if (!isRecord(v) || !Array.isArray(v.replies)) return undefined;
  const out: ScriptedReply[] = [];
  for (const r of v.replies) {
    if (!isRecord(r) || typeof r.reasoning !== 'string' || typeof r.answer !== 'string') return undefined;
    const delayMs = typeof r.delayMs === 'number' && r.delayMs > 0 ? Math.min(r.delayMs, 10_000) : 0;
    out.push({ reasoning: r.reasoning, answer: r.answer, finishReason: r.finishReason === 'length' ? 'length' : 'stop', delayMs });
  }
  return out;
}

export async function startScriptedServer(initial: readonly ScriptedReply[] = []): Promise<ScriptedServer> {
  let replies = initial.slice();
  const requests: RecordedRequest[] = [];
  const json = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const chat = (res: http.ServerResponse, body: Record<string, unknown>) => {
    const messages = (Array.isArray(body.messages) ? body.messages : []).filter(isRecord).map((m) => ({ role: String(m.role), content: typeof m.content === 'string' ? m.content : '' }));
    const n = requests.length + 1;
    requests.push({ n, messages, prompt: [...messages].reverse().find((m) => m.role === 'user')?.content ?? '' });
    const reply = replies[n - 1];
    if (!reply) return json(res, 500, { error: { message: `scripted stand-in: no reply scripted for chat request ${n} (the script has ${replies.length})` } });
    const usage = { prompt_tokens: tokens(messages.map((m) => m.content).join('\n')), completion_tokens: tokens(reply.reasoning) + tokens(reply.answer) };
    if (body.stream === false) {
      return json(res, 200, { id: 'chatcmpl-scripted-stand-in', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', reasoning_content: reply.reasoning, content: reply.answer }, finish_reason: reply.finishReason ?? 'stop' }], usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const events = [
      chunk({ role: 'assistant', content: null }),
      ...pieces(reply.reasoning).map((t) => chunk({ reasoning_content: t })),
      ...pieces(reply.answer).map((t) => chunk({ content: t })),
      { ...chunk({}, reply.finishReason ?? 'stop'), usage },
    ];
    const delay = reply.delayMs ?? 0;
    let closed = false;
    res.on('close', () => (closed = true));
    const send = (i: number) => {
      if (closed) return; // the client stopped the turn
      if (i >= events.length) return void res.end('data: [DONE]\n\n');
      res.write(`data: ${JSON.stringify(events[i])}\n\n`);
      if (delay > 0) setTimeout(() => send(i + 1), delay);
      else send(i + 1);
    };
    send(0);
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      let body: unknown = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return json(res, 400, { error: { message: 'invalid JSON' } });
      }
      const url = req.url ?? '';
      if (req.method === 'GET' && url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'scripted-stand-in', object: 'model', max_model_len: CONTEXT_SIZE }] });
      if (req.method === 'POST' && url === '/tokenize') return json(res, 200, { count: tokens(isRecord(body) ? String(body.content ?? body.prompt ?? '') : '') });
      if (req.method === 'POST' && url === '/v1/chat/completions') return chat(res, isRecord(body) ? body : {});
      if (req.method === 'POST' && url === '/stand-in/script') {
        const parsed = parseReplies(body);
        if (!parsed) return json(res, 400, { error: { message: 'expected {replies: [{reasoning, answer}]}' } });
        replies = parsed;
        requests.length = 0;
        return json(res, 200, { ok: true });
      }
      if (req.method === 'GET' && url === '/stand-in/requests') return json(res, 200, requests);
      json(res, 404, { error: { message: `scripted stand-in: no ${req.method} ${url}` } });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${root}/v1`,
    root,
    script: (r) => {
      replies = r.slice();
      requests.length = 0;
    },
    requests,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** From another process: replaces the stand-in's script (and clears its recorded requests). */
export async function scriptReplies(root: string, replies: readonly ScriptedReply[]): Promise<void> {
  const res = await fetch(`${root}/stand-in/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replies }) });
  if (!res.ok) throw new Error(`scripting the stand-in failed: HTTP ${res.status}`);
}

/** From another process: the chat requests the stand-in received since it was last scripted. */
export async function recordedRequests(root: string): Promise<RecordedRequest[]> {
  const res = await fetch(`${root}/stand-in/requests`);
  if (!res.ok) throw new Error(`reading the stand-in's requests failed: HTTP ${res.status}`);
  const v: unknown = await res.json();
  return Array.isArray(v) ? v.filter((r): r is RecordedRequest => isRecord(r) && typeof r.n === 'number' && typeof r.prompt === 'string' && Array.isArray(r.messages)) : [];
}
