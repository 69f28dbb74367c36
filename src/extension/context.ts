/** The one object activation builds: everything a contribution needs, with the extension's lifetime. */
import type * as vscode from 'vscode';
import type { ChatController } from './chat/chat-controller';
import type { ChatStore } from './chat/chat-store';
import type { ContextChips } from './chat/context-chips';
import type { Config } from './config';
import type { EngineHost } from './engine/engine-host';
import type { PanelView } from './panel/panel-view';
import type { VerificationRecord } from './verify';
import type { ContextChip } from '../core/protocol/panel';
import type { MapStats } from '../core/protocol/repomap';
import type { RepoMap } from './repomap/repo-map';

export interface PonderContext {
  readonly vscodeContext: vscode.ExtensionContext;
  readonly config: Config;
  readonly engine: EngineHost;
  readonly chat: ChatController;
  readonly panel: PanelView;
  readonly chips: ContextChips;
  readonly store: ChatStore;
  /** The repository map behind `@workspace` (built on first use). */
  readonly repoMap: RepoMap;
  /** Token budget of the map for the chat (0 = off). */
  repoMapBudget(): number;
  /** Re-sends the whole chat to the panel. */
  postState(): void;
}

/** What `activate` returns: a small read-only view for tests and other extensions. */
export interface PonderApi {
  /** Whether the engine process has been started (it must not be at activation). */
  engineStarted(): boolean;
  /** The engine process's pid while it runs. */
  enginePid(): number | undefined;
  /** Whether node-llama-cpp was ever loaded into the host process (it must never be). */
  nodeLlamaCppInHost(): boolean;
  /** The last prompt text handed to the engine (so tests can check what context reached the model). */
  lastPrompt(): string | undefined;
  /** Whether the editor features (edits, verify, model picker…) have been loaded: not at activation, on first use. */
  featuresLoaded(): boolean;
  /** Each fix session's latest verification line (tests read outcomes here). */
  verifications(): readonly VerificationRecord[];
  /**
   * Records the user's consent to run this exact `ponder.verify.command` (what the consent prompt's Run button does).
   * Open to tests and other extensions on purpose: they run in this same process and could start programs anyway.
   */
  allowVerifyCommand(command: string): Promise<void>;
  /** The chips above the panel's input, as the panel shows them. */
  chips(): readonly ContextChip[];
  /** Handles a message as if the panel had sent it (validated the same way); tests drive the chat with it. */
  panelMessage(message: unknown): Promise<void>;
  /** The repository map's counters (full builds, file updates, files), once built. */
  repoMapStats(): MapStats | undefined;
  /** Ponder's proposal events as plain data (proposed / applied with the changed lines and the text before / discarded). */
  onProposalEvent(listener: (e: ProposalEventData) => void): { dispose(): void };
}

/** A ProposalStore event without vscode objects (lines 0-based, inclusive, in the text after the write). */
export interface ProposalEventData {
  readonly type: 'proposed' | 'applied' | 'discarded';
  readonly proposalId: string;
  readonly relPath: string;
  readonly label: string;
  readonly turnId?: string;
  readonly warnings: readonly string[];
  readonly partial?: boolean;
  readonly why?: 'user' | 'replaced';
  readonly files?: ReadonlyArray<{ readonly relPath: string; readonly before: string; readonly after: string; readonly lines: ReadonlyArray<{ readonly startLine: number; readonly endLine: number }> }>;
}
