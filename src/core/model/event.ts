import type { WireRecord } from '../wire/types';
import type { SpacesInfo } from '../spaces/types';

/** One decoded record as the background stores it and the panel shows it. */
export interface CapturedEvent {
  /** Per-tab sequence number, assigned by the background, strictly increasing. */
  seq: number;
  record: WireRecord;
  /** Present when the record is a Socket.IO event the Spaces layer describes. */
  spaces?: SpacesInfo;
  /**
   * The frame the connection lives in, when not the page's top frame: its origin and path (no query),
   * as the browser named the sender. `record.conn` numbers connections within that frame's page load.
   */
  frame?: string;
  /** Trace (while the panel's setting is on): the stack of the page code that sent it, redacted. */
  trace?: string;
  /** The hook wrote the frame for the panel's emit (Compose, Resend), and said so with the frame. */
  fromPanel?: true;
}
