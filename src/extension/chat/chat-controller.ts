/** One chat at a time: its turns, the running request, persistence, context fitting, and what the panel is told. */
import { randomUUID } from 'node:crypto';
import type { ChatExchange, ChatTurn } from '../../core/protocol/engine';
import type { ContextMeter, HostToPanel, PanelTurn, TurnOutcome, TurnVerification } from '../../core/protocol/panel';
import type { ChatStore, StoredChat } from './chat-store';
import type { ChatHandle, EngineClient } from '../engine/engine-client';
import { isEngineError } from '../engine/engine-client';
import { replyRoom } from '../../core/chat/fit-context';
import { meterFromFit } from '../../core/chat/meter';
import { generationLimits } from '../../core/chat/generation-limits';
import { predictionRequest } from '../../core/speculation/tuning';
import { estimateTokens, TEMPLATE_OVERHEAD } from '../../core/context/tokens';
import { fail, type Result } from '../../core/protocol/validate';
import { errorMessage } from '../../core/result';

export interface ChatControllerDeps {
  readonly engine: () => Promise<EngineClient>;
  readonly post: (message: HostToPanel) => void;
  readonly maxThinkingTokens: () => number | undefined;
  /** `ponder.maxGeneratedTokens`: the ceiling on one request's generated tokens; undefined = none. */
  readonly maxGeneratedTokens?: () => number | undefined;
  readonly onError: (message: string) => void;
  readonly store?: ChatStore;
  /** The model's context size: the loaded engine's, else a guess from the settings (for checks before a send). */
  readonly contextSize?: () => number;
  /** The engine when it is loaded already (a check before a send must not wait for a model load). */
  readonly loadedEngine?: () => EngineClient | undefined;
  /** `ponder.speculative` (default auto). */
  readonly speculative?: () => 'auto' | 'off';
}

export interface SendOptions {
  /** An edit task's turn runs to its end even when no window shows it. */
  readonly awaited?: boolean;
  /** Whether the answer copies code from the prompt (prompt lookup); default: the prompt has a code block. */
  readonly promptLookup?: boolean;
}

interface Running {
  readonly turnId: string;
  readonly abort: AbortController;
  /** An edit task waits for this turn's answer: it is not stopped when no window shows it. */
  readonly awaited: boolean;
  handle?: ChatHandle;
  endThinkingRequested: boolean;
}

export type FinishedTurn = PanelTurn & { readonly outcome: TurnOutcome };

/** How often a running turn's partial text is saved. */
const SAVE_EVERY_MS = 10_000;
/** The meter's "next message": what a typical follow-up question takes, in tokens. */
const TYPICAL_NEXT_TOKENS = 200;
/** How a turn still running looks in storage: if the window goes away, that is how it is reopened. */
const INTERRUPTED: TurnOutcome = { stopReason: 'aborted', thoughtCutShort: false, interrupted: true };

/** What a running turn is doing, for the status bar: one event per streamed chunk (≈ one token). */
export type ChatActivity =
  | { readonly kind: 'started' }
  | { readonly kind: 'chunk'; readonly part: 'reasoning' | 'answer' }
  | { readonly kind: 'ended'; readonly outcome: TurnOutcome };

export class ChatController {
  private chatId: string = randomUUID();
  private turns: PanelTurn[] = [];
  private running: Running | undefined;
  /** The full text sent to the model per turn, when the panel shows a shorter label. */
  private readonly sentPrompts = new Map<string, string>();
  private lastMeter: ContextMeter | undefined;
  /** The last prompt text handed to the engine (tests check that context gathering reached the model). */
  lastPrompt: string | undefined;

  private readonly activityListeners = new Set<(a: ChatActivity) => void>();

  constructor(private readonly deps: ChatControllerDeps) {}

  /** Listens to the running turn's progress; returns its disposer. */
  onActivity(listener: (a: ChatActivity) => void): { dispose(): void } {
    this.activityListeners.add(listener);
    return { dispose: () => this.activityListeners.delete(listener) };
  }

  private activity(a: ChatActivity): void {
    for (const l of this.activityListeners) l(a);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get meter(): ContextMeter | undefined {
    return this.lastMeter;
  }

  snapshot(): readonly PanelTurn[] {
    return this.turns;
  }

  /**
   * Sends a prompt; resolves with the finished turn however it ended. `display` is what the panel shows as the
   * user's message when the prompt itself is long generated context (edit tasks, attached files).
   */
  async send(prompt: string, display: string = prompt, signal?: AbortSignal, options: SendOptions = {}): Promise<FinishedTurn> {
    if (this.running) this.stop();
    const turnId = randomUUID();
    const turn: PanelTurn = { id: turnId, prompt: display, reasoning: '', answer: '' };
    this.turns = [...this.turns, turn];
    this.sentPrompts.set(turnId, prompt);
    this.deps.post({ type: 'panel/turnStarted', turnId, prompt: display });
    this.activity({ kind: 'started' });
    const running: Running = { turnId, abort: new AbortController(), awaited: options.awaited ?? false, endThinkingRequested: false };
    this.running = running;
    // Saved now, marked interrupted until it ends: a window reopened after this one vanished shows it stopped.
    void this.persist();
    let savedAt = Date.now();
    signal?.addEventListener('abort', () => running.abort.abort(), { once: true });
    let outcome: TurnOutcome;
    let thoughtStart: number | undefined;
    let thoughtEnd: number | undefined;
    try {
      const client = await this.deps.engine();
      if (running.abort.signal.aborted) throw new Error('Stopped before the model started.');
      const history = await this.historyFor(client, prompt);
      this.lastPrompt = prompt;
      const limits = generationLimits(this.deps.maxGeneratedTokens?.(), this.deps.maxThinkingTokens());
      const prediction = predictionRequest(this.deps.speculative?.() ?? 'auto', prompt, options.promptLookup);
      running.handle = client.chat(this.chatId, history, { ...limits, ...(prediction ? { prediction } : {}) }, {
        signal: running.abort.signal,
        onChunk: (kind, text) => {
          this.activity({ kind: 'chunk', part: kind });
          if (kind === 'reasoning') thoughtStart ??= Date.now();
          else if (thoughtStart !== undefined) thoughtEnd ??= Date.now();
          this.update(turnId, (t) => (kind === 'reasoning' ? { ...t, reasoning: t.reasoning + text } : { ...t, answer: t.answer + text }));
          this.deps.post({ type: 'panel/chunk', turnId, kind, text });
          if (Date.now() - savedAt > SAVE_EVERY_MS) {
            savedAt = Date.now();
            void this.persist(); // what was thought so far survives a lost window too
          }
        },
      });
      if (running.endThinkingRequested) running.handle.endThinking();
      const result = await running.handle.result;
      const thoughtMs = thoughtStart === undefined ? undefined : (thoughtEnd ?? Date.now()) - thoughtStart;
      outcome = { stopReason: result.stopReason, thoughtCutShort: result.thoughtCutShort, thoughtMs, stats: result.stats };
      this.lastMeter = (await this.nextMeter(client)) ?? this.lastMeter;
    } catch (e) {
      const message = errorMessage(e);
      outcome = running.abort.signal.aborted && !isEngineError(e)
        ? { stopReason: 'aborted', thoughtCutShort: false }
        : { stopReason: 'error', thoughtCutShort: false, error: message };
      if (outcome.stopReason === 'error') this.deps.onError(message);
    }
    this.update(turnId, (t) => ({ ...t, outcome }));
    if (this.running === running) this.running = undefined;
    this.deps.post({ type: 'panel/turnEnded', turnId, outcome });
    this.activity({ kind: 'ended', outcome });
    if (this.lastMeter) this.deps.post({ type: 'panel/meter', meter: this.lastMeter });
    await this.persist();
    const final = this.turns.find((t) => t.id === turnId) ?? turn;
    return { ...final, outcome };
  }

  /**
   * Whether `prompt` leaves the model room to think and answer, said with numbers when it does not (a prompt larger
   * than the context would otherwise be cut by the engine without a word). Uses the real tokenizer when a model is
   * loaded, else an estimate; never starts a model load.
   */
  async checkFits(prompt: string): Promise<Result<void>> {
    const size = this.deps.contextSize?.();
    if (!size) return { ok: true, value: undefined };
    const client = this.deps.loadedEngine?.();
    const counted = client ? await client.countTokens(prompt).then((c) => c.tokens, () => undefined) : undefined;
    const tokens = (counted ?? estimateTokens(prompt)) + TEMPLATE_OVERHEAD;
    const room = replyRoom(size);
    if (tokens <= size - room) return { ok: true, value: undefined };
    return fail(`This message needs ${counted === undefined ? 'about ' : ''}${tokens.toLocaleString('en')} tokens with its attached context, but the model's context holds ${size.toLocaleString('en')}, and ${room.toLocaleString('en')} of them must stay free for the reasoning and the answer. Remove a file chip, shorten the message, or raise \`ponder.contextSize\`.`);
  }

  /** Re-sends a failed or stopped turn's prompt as a new turn (the failed one stays visible). */
  async retry(turnId: string): Promise<FinishedTurn | undefined> {
    const t = this.turns.find((x) => x.id === turnId);
    if (!t || this.running) return undefined;
    return this.send(this.sentPrompts.get(t.id) ?? t.prompt, t.prompt);
  }

  stop(): void {
    this.running?.abort.abort();
  }

  /** Adds or replaces (same id) a verification line in a turn; kept in history and export. False if the turn is gone. */
  async setVerification(turnId: string, v: TurnVerification): Promise<boolean> {
    if (!this.turns.some((t) => t.id === turnId)) return false;
    this.update(turnId, (t) => {
      const list = t.verifications ?? [];
      return { ...t, verifications: list.some((x) => x.id === v.id) ? list.map((x) => (x.id === v.id ? v : x)) : [...list, v] };
    });
    this.deps.post({ type: 'panel/verification', turnId, verification: v });
    await this.persist();
    return true;
  }

  /** Stops the running turn because no window can show it, unless an edit task awaits it. True if it stopped one. */
  stopUnseen(): boolean {
    const r = this.running;
    if (!r || r.awaited || r.abort.signal.aborted) return false;
    r.abort.abort();
    return true;
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
    this.lastMeter = undefined;
  }

  /** Reopens a stored chat. */
  open(chat: StoredChat): void {
    this.stop();
    this.chatId = chat.id;
    this.turns = [...chat.turns];
    this.sentPrompts.clear();
    this.lastMeter = undefined;
  }

  current(): StoredChat {
    const first = this.turns[0]?.prompt ?? 'New chat';
    const turns = this.turns.map((t) => (t.outcome ? t : { ...t, outcome: INTERRUPTED }));
    return { id: this.chatId, title: first.split('\n')[0].slice(0, 80), updatedAt: Date.now(), turns };
  }

  /**
   * History for the model: prompts and answers only — reasoning is never sent back. The worker fits it (one round
   * trip, its tokenizer): whole oldest exchanges are dropped, and the meter says which.
   */
  private async historyFor(client: EngineClient, prompt: string): Promise<ChatTurn[]> {
    const past = this.answered(this.turns.slice(0, -1));
    let kept = past;
    if (past.length) {
      const fit = await client.fitChat(this.exchanges(past), { text: prompt });
      kept = past.slice(fit.dropped);
      if (fit.dropped > 0) {
        this.lastMeter = meterFromFit(fit, this.numbers(past));
        this.deps.post({ type: 'panel/meter', meter: this.lastMeter });
      }
    }
    const history: ChatTurn[] = kept.flatMap((t): ChatTurn[] => [{ role: 'user', text: this.sentPrompts.get(t.id) ?? t.prompt }, { role: 'assistant', text: t.answer }]);
    history.push({ role: 'user', text: prompt });
    return history;
  }

  /** Said before it happens: how full the context is and which oldest turns a typical next message would push out. */
  private async nextMeter(client: EngineClient): Promise<ContextMeter | undefined> {
    const past = this.answered(this.turns);
    try {
      return meterFromFit(await client.fitChat(this.exchanges(past), { tokens: TYPICAL_NEXT_TOKENS }), this.numbers(past));
    } catch {
      return undefined; // the reply itself arrived; a meter that cannot be computed is not worth an error
    }
  }

  /** The turns that become history: those with an answer (a failed or empty turn is never resent). */
  private answered(turns: readonly PanelTurn[]): PanelTurn[] {
    return turns.filter((t) => t.answer);
  }

  private exchanges(turns: readonly PanelTurn[]): ChatExchange[] {
    return turns.map((t) => ({ prompt: this.sentPrompts.get(t.id) ?? t.prompt, answer: t.answer }));
  }

  /** 1-based turn numbers as the panel shows them. */
  private numbers(turns: readonly PanelTurn[]): number[] {
    return turns.map((t) => this.turns.indexOf(t) + 1);
  }

  private async persist(): Promise<void> {
    await this.deps.store?.save(this.current());
  }

  private update(turnId: string, f: (t: PanelTurn) => PanelTurn): void {
    this.turns = this.turns.map((t) => (t.id === turnId ? f(t) : t));
  }
}
