/**
 * A local stand-in for the Hugging Face hub endpoints node-llama-cpp and Ponder's downloader use: the quantization
 * manifest, the folder listing (sizes, LFS sha256) and file downloads with HEAD, ranged GET and optional throttling.
 * Tests point the downloader at it (`endpoint`, or HF_ENDPOINT for a whole VS Code).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockFile {
  /** Path inside the repository. */
  readonly path: string;
  readonly data: Buffer;
  /** What the listing claims, to simulate a damaged transfer: a different size, a different sha256, or no LFS info (null). */
  readonly listedSize?: number;
  readonly listedSha256?: string | null;
}

export interface MockRepo {
  readonly user: string;
  readonly repo: string;
  readonly files: readonly MockFile[];
  /** Quantization tag → file path, for `hf:user/repo:TAG` manifests. */
  readonly quants?: Readonly<Record<string, string>>;
}

export interface MockHub {
  readonly url: string;
  /** "GET /path range" lines, in arrival order. */
  readonly requests: string[];
  /** Bytes per second for file bodies (0 = unthrottled, negative = stalled: headers sent, no body bytes). */
  throttle(bytesPerSecond: number): void;
  close(): Promise<void>;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export async function startMockHub(repos: readonly MockRepo[], options: { bytesPerSecond?: number } = {}): Promise<MockHub> {
  let bps = options.bytesPerSecond ?? 0;
  const requests: string[] = [];
  const find = (user: string, repo: string) => repos.find((r) => r.user === user && r.repo === repo);
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse, file: MockFile) => {
    const size = file.data.length;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      etag: `"${sha256(file.data)}"`,
      'content-disposition': `attachment; filename="${file.path.split('/').pop()}"`,
    };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') return res.end();
    let pos = start;
    let closed = false;
    res.on('close', () => (closed = true));
    const chunk = 16 * 1024;
    const pump = () => {
      if (closed) return;
      if (bps < 0) return void setTimeout(pump, 100);
      if (pos > end) return res.end();
      const n = Math.min(chunk, end - pos + 1);
      const ok = res.write(file.data.subarray(pos, pos + n));
      pos += n;
      const delay = bps > 0 ? Math.round((n / bps) * 1000) : 0;
      if (delay > 0) setTimeout(pump, delay);
      else if (ok) setImmediate(pump);
      else res.once('drain', pump);
    };
    pump();
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    requests.push(`${req.method} ${url.pathname}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    // /v2/<user>/<repo>/manifests/<tag>
    if (parts[0] === 'v2' && parts[3] === 'manifests') {
      const r = find(parts[1], parts[2]);
      const tag = parts[4] === 'latest' ? 'Q4_K_M' : parts[4];
      const file = r?.quants?.[tag.toUpperCase()];
      return file ? json(res, 200, { ggufFile: { rfilename: file } }) : json(res, 404, { error: 'not found' });
    }
    // /api/models/<user>/<repo>/tree/<rev>[/<folder>]
    if (parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'tree') {
      const r = find(parts[2], parts[3]);
      if (!r || parts[5] !== 'main') return json(res, 404, { error: 'Repository not found' });
      const folder = parts.slice(6).join('/');
      const inFolder = r.files.filter((f) => (f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '') === folder);
      return json(res, 200, inFolder.map((f) => {
        const size = f.listedSize ?? f.data.length;
        const oid = f.listedSha256 === undefined ? sha256(f.data) : f.listedSha256;
        return { type: 'file', oid: sha256(Buffer.from(f.path)).slice(0, 40), size, path: f.path, ...(oid === null ? {} : { lfs: { oid, size, pointerSize: 135 } }) };
      }));
    }
    // /<user>/<repo>/resolve/<rev>/<path>
    if (parts[2] === 'resolve') {
      const r = find(parts[0], parts[1]);
      const file = r?.files.find((f) => f.path === parts.slice(4).join('/'));
      if (!file || parts[3] !== 'main') return json(res, 404, { error: 'Entry not found' });
      return serveFile(req, res, file);
    }
    json(res, 404, { error: 'unknown endpoint' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    throttle: (n) => (bps = n),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
