// Shapes shared by the wire decoder, the background, the panel and the log formats.
// Everything here is plain data: it crosses contexts by structured clone and is stored as JSON.

/** in: server → page; out: page → server. */
export type Direction = 'in' | 'out';
export type Transport = 'websocket' | 'polling';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A binary attachment in decoded arguments, reassembled but not carried whole. */
export interface BinaryRef {
  $binary: { length: number; preview: string };
}

/** One unit of traffic as the page saw it: a WebSocket message, or an HTTP long-polling body. */
export interface RawFrame {
  /** Connection id, unique within one page load (the hook numbers them). */
  conn: number;
  /** Epoch milliseconds. */
  t: number;
  dir: Direction;
  transport: Transport;
  data: string | ArrayBuffer | Uint8Array;
}

/** The frame as kept for display: redacted, bounded, with its original length. */
export interface RawText {
  text: string;
  /** Length of the original frame (characters for text, bytes for binary). */
  length: number;
  truncated: boolean;
  binary?: boolean;
}

export interface Handshake {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload?: number;
}

export type EnginePacketType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop';

export type SocketPacketType =
  | 'CONNECT'
  | 'DISCONNECT'
  | 'EVENT'
  | 'ACK'
  | 'CONNECT_ERROR'
  | 'BINARY_EVENT'
  | 'BINARY_ACK';

export interface SocketPacket {
  type: SocketPacketType;
  /** Namespace without its query, e.g. "/chat". */
  nsp: string;
  /** Protocol 4 namespace query ("token=[redacted]&x=1"), redacted. */
  query?: string;
  /** Ack id, when the packet has one. */
  id?: number;
  /** EVENT / BINARY_EVENT: the event name (first argument when it is a string). */
  event?: string;
  /** EVENT: the arguments after the name; ACK: the ack arguments. Binary placeholders resolved to BinaryRef. */
  args: JsonValue[];
  /** CONNECT auth / CONNECT_ERROR payload (redacted). */
  data?: JsonValue;
  /** Number of binary attachments the packet announced. */
  attachments?: number;
}

interface RecordBase {
  conn: number;
  t: number;
  dir: Direction;
  transport: Transport;
  raw: RawText;
}

/** An Engine.IO packet that carries no Socket.IO packet (open, ping, …). */
export interface EngineRecord extends RecordBase {
  kind: 'engine';
  type: Exclude<EnginePacketType, 'message'>;
  /** Probe payload of ping/pong, or a plain message the Socket.IO layer does not own. */
  data?: string;
  handshake?: Handshake;
}

export interface SocketRecord extends RecordBase {
  kind: 'socket';
  packet: SocketPacket;
}

/** Anything that could not be decoded: what is wrong, and the raw frame kept. */
export interface DecodeErrorRecord extends RecordBase {
  kind: 'error';
  error: string;
}

/** What happened to a socket (not a frame): the page's WebSocket events, or a polling request that failed. */
export type LifeEvent = 'start' | 'open' | 'close' | 'error';

/**
 * A socket's life: started by the page (`url`, redacted: the endpoint), opened, closed (code, reason,
 * clean), an error (`status` for a failed polling request).
 */
export interface LifeRecord extends RecordBase {
  kind: 'life';
  life: LifeEvent;
  url?: string;
  code?: number;
  reason?: string;
  clean?: boolean;
  status?: number;
}

export type WireRecord = EngineRecord | SocketRecord | DecodeErrorRecord | LifeRecord;
