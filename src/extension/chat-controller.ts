/** One chat: its turns, the running request, and what the panel is told about them. */
import { randomUUID } from 'node:crypto';
import type { ChatTurn } from '../core/protocol/engine';
import type { HostToPanel, PanelTurn, TurnOutcome } from '../core/protocol/panel';
import type { ChatHandle, EngineClient } from './engine-client';
import { isEngineError } from './engine-client';

export interface ChatControllerDeps {
  readonly engine: () => Promise<EngineClient>;
  readonly post: (message: HostToPanel) => void;
  readonly maxThinkingTokens: () => number | undefined;
  readonly onError: (message: string) => void;
}

interface Running {
  readonly turnId: string;
  readonly abort: AbortController;
  handle?: ChatHandle;
  endThinkingRequested: boolean;
}

export class ChatController {
  private chatId = randomUUID();
  private turns: PanelTurn[] = [];
  private running: Running | undefined;
  /** The full text sent to the model per turn, when the panel shows a shorter label. */
  private readonly sentPrompts = new Map<string, string>();
  /** The last prompt text handed to the engine (tests check that context gathering reached the model). */
  lastPrompt: string | undefined;

  constructor(private readonly deps: ChatControllerDeps) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  snapshot(): readonly PanelTurn[] {
    return this.turns;
  }

  /**
   * Sends a prompt; resolves with the finished turn when it has ended (however it ended). `display` is what the
   * panel shows as the user's message when the prompt itself is long generated context (edit tasks).
   */
  async send(prompt: string, display: string = prompt): Promise<PanelTurn & { readonly outcome: TurnOutcome }> {
    if (this.running) this.stop();
    const turnId = randomUUID();
    const turn: PanelTurn = { id: turnId, prompt: display, reasoning: '', answer: '' };
    this.turns = [...this.turns, turn];
    this.sentPrompts.set(turnId, prompt);
    this.deps.post({ type: 'panel/turnStarted', turnId, prompt: display });
    const running: Running = { turnId, abort: new AbortController(), endThinkingRequested: false };
    this.running = running;
    // History for the model: prompts and answers only — reasoning is never sent back.
    const history: ChatTurn[] = this.turns.slice(0, -1).flatMap((t): ChatTurn[] =>
      t.answer ? [{ role: 'user', text: this.sentPrompts.get(t.id) ?? t.prompt }, { role: 'assistant', text: t.answer }] : [],
    );
    history.push({ role: 'user', text: prompt });
    this.lastPrompt = prompt;
    let outcome: TurnOutcome;
    try {
      const client = await this.deps.engine();
      if (running.abort.signal.aborted) throw new Error('Stopped before the model started.');
      running.handle = client.chat(this.chatId, history, { maxThinkingTokens: this.deps.maxThinkingTokens() }, {
        signal: running.abort.signal,
        onChunk: (kind, text) => {
          this.update(turnId, (t) => (kind === 'reasoning' ? { ...t, reasoning: t.reasoning + text } : { ...t, answer: t.answer + text }));
          this.deps.post({ type: 'panel/chunk', turnId, kind, text });
        },
      });
      if (running.endThinkingRequested) running.handle.endThinking();
      const result = await running.handle.result;
      outcome = { stopReason: result.stopReason, thoughtCutShort: result.thoughtCutShort, stats: result.stats };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      outcome = running.abort.signal.aborted && !isEngineError(e)
        ? { stopReason: 'aborted', thoughtCutShort: false }
        : { stopReason: 'error', thoughtCutShort: false, error: message };
      if (outcome.stopReason === 'error') this.deps.onError(message);
    }
    this.update(turnId, (t) => ({ ...t, outcome }));
    if (this.running === running) this.running = undefined;
    this.deps.post({ type: 'panel/turnEnded', turnId, outcome });
    const final = this.turns.find((t) => t.id === turnId) ?? turn;
    return { ...final, outcome };
  }

  stop(): void {
    this.running?.abort.abort();
  }

  answerNow(): void {
    const r = this.running;
    if (!r) return;
    r.endThinkingRequested = true;
    r.handle?.endThinking();
  }

  newChat(): void {
    this.stop();
    this.chatId = randomUUID();
    this.turns = [];
    this.sentPrompts.clear();
  }

  private update(turnId: string, f: (t: PanelTurn) => PanelTurn): void {
    this.turns = this.turns.map((t) => (t.id === turnId ? f(t) : t));
  }
}
