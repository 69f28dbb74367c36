/** What the worker needs from an engine. The local node-llama-cpp engine implements it; a remote HTTP engine can too. */
import type { ChatResult, ChatTurn, EngineError, EngineStatus, GenerationOptions } from '../core/protocol/engine';

export interface ChatControl {
  readonly signal: AbortSignal;
  /** Called with each streamed piece; never after `signal` is aborted. */
  readonly onChunk: (kind: 'reasoning' | 'answer', text: string) => void;
  /** Registers the handler for "answer now". */
  readonly onEndThinking: (handler: () => void) => void;
  /** A remote engine's API key for this request (never stored by the engine, never logged). */
  readonly apiKey?: string;
}

export interface Engine {
  readonly status: EngineStatus;
  chat(chatId: string, turns: readonly ChatTurn[], options: GenerationOptions, control: ChatControl): Promise<ChatResult>;
  countTokens(text: string, apiKey?: string): Promise<{ tokens: number; estimated: boolean }>;
  dispose(): Promise<void>;
}

/** An error carrying a protocol error code, thrown by engines and turned into a reply by the worker. */
export class EngineFailure extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}
