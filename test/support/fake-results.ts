/**
 * Results a fake child sends for each request of the engine and download protocols: well-formed ones, and a
 * malformed one per method with the problem the host must name. Keyed by the protocol tables' own method types,
 * so a method added to ENGINE_METHODS / DOWNLOAD_JOBS does not compile here until it has its cases.
 */
import type { EngineMethod } from '../../src/core/protocol/engine';
import type { DownloadJob } from '../../src/core/protocol/download';

const status = { state: 'ready', engine: { kind: 'local', name: 'fake', contextSize: 2048, chatFormat: 'DeepSeekChatWrapper', loadMs: 1 }, warnings: [] };
const stats = { promptTokens: 5, evaluatedTokens: 5, reusedTokens: 0, thinkingTokens: 3, answerTokens: 2, timeToFirstTokenMs: 1, tokensPerSecond: 10, durationMs: 9, contextTokens: 10, contextSize: 2048 };
const fit = { contextSize: 2048, reserve: 1024, exchangeTokens: [10], nextTokens: 5, dropped: 0, estimated: false };

export interface ResultCase {
  readonly good: unknown;
  readonly bad: unknown;
  /** What the host's error must say about `bad`. */
  readonly problem: RegExp;
}

export const ENGINE_RESULT_CASES: Readonly<Record<EngineMethod, ResultCase>> = {
  'engine/load': { good: status, bad: { ...status, engine: { ...status.engine, name: 7 } }, problem: /engine\.name and engine\.chatFormat must be strings/ },
  'engine/status': { good: status, bad: { state: 'exploded', warnings: [] }, problem: /unknown state "exploded"/ },
  'engine/chat': {
    good: { stopReason: 'done', reasoning: 'r', answer: 'a', thoughtCutShort: false, stats },
    bad: { stopReason: 'done', reasoning: 'r', answer: 'a', thoughtCutShort: false, stats: { ...stats, durationMs: 'slow' } },
    problem: /stats\.durationMs must be a number/,
  },
  'engine/countTokens': { good: { tokens: 3, estimated: false }, bad: { tokens: 'three', estimated: false }, problem: /tokens must be a number/ },
  'engine/fitChat': { good: fit, bad: { ...fit, dropped: 3 }, problem: /dropped \(3\) exceeds the 1 exchanges sent/ },
  'engine/unload': { good: { state: 'idle', warnings: [] }, bad: null, problem: /the status must be an object/ },
  'engine/shutdown': { good: null, bad: { bye: true }, problem: /the result must be null/ },
};

const record = { uri: 'hf:a/b/c.gguf', fileUri: 'hf:a/b/c.gguf', sizeBytes: 1, sha256: undefined, verified: 'size-and-header', downloadedAt: 1 };
const memory = { totalRamBytes: 8e9, freeRamBytes: 4e9, gpu: false, vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false };

export const DOWNLOAD_RESULT_CASES: Readonly<Record<DownloadJob, ResultCase>> = {
  'download/start': { good: { path: '/models/c.gguf', record }, bad: { path: '/models/c.gguf', record: { ...record, verified: 'trust-me' } }, problem: /record: bad download record: verified/ },
  'download/systemInfo': { good: memory, bad: { ...memory, gpu: 3 }, problem: /gpu must be false or a string/ },
};

/** Environment variable telling a fake child which results to send. */
export const FAKE_RESULTS_ENV = 'PONDER_FAKE_RESULTS';
