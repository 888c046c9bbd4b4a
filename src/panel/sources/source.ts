// Where the panel's events come from: the live extension (extension-source.ts) or, later, a log file.
import type { CapturedEvent } from '../../core/model/event';
import type { EmitResult, TabStatus } from '../../core/messages';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline';

export interface SourceStatus {
  connection: ConnectionState;
  /** The background's last word on the tab, when the source has one. */
  tab: TabStatus | null;
  /** Messages or events the source ignored because their shape was wrong. */
  malformed: number;
  /** Events lost before the source had them: a log's own count of what its capture dropped. */
  lost?: number;
}

export interface SourceListener {
  /**
   * Events in arrival order; reset: drop everything held and start from these. dropped: events older
   * than these that the source left out because the panel would not keep them (its buffer bound).
   */
  events(events: readonly CapturedEvent[], reset: boolean, dropped?: number): void;
  status(status: SourceStatus): void;
}

export interface SourceCapabilities {
  /** Events keep arriving (a live page), as opposed to a fixed log. */
  live: boolean;
  /** clear() forgets the events at their origin too. */
  clear: boolean;
}

export interface PanelSource {
  readonly capabilities: SourceCapabilities;
  /**
   * True while events arrive in bulk ahead of a result (a log file being read and handed over): the
   * panel does not re-render for them until it is false, and shows the source's own progress instead.
   */
  readonly loading?: boolean;
  /** Starts delivery; the listener gets the current status, then batches. Returns an unsubscribe. */
  subscribe(listener: SourceListener): () => void;
  clear(): void;
  /**
   * Writes a Socket.IO EVENT packet on connection `conn` of the inspected page's top frame (the live
   * extension only; call it only from a person's action in the composer).
   */
  emit?(conn: number, packet: string): Promise<EmitResult>;
}
