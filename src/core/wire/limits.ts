// Bounds the decoder enforces on what the page sends.

/** Largest frame or packet decoded (characters for text, bytes for binary). */
export const MAX_DECODED = 8 * 1024 * 1024;
/** Raw text kept per record, in characters. */
export const MAX_RAW_CHARS = 16 * 1024;
/** Raw text kept for a frame rejected as not Engine.IO at all. */
export const MAX_REJECT_RAW_CHARS = 128;
/** Bytes of a binary frame shown (as hex) in its raw text. */
export const MAX_RAW_BYTES = 256;
/** Bytes of a binary attachment shown (as hex) in its BinaryRef preview. */
export const PREVIEW_BYTES = 16;
/** Deepest JSON nesting accepted (the top-level array or object is depth 1). */
export const MAX_DEPTH = 100;
/** Most binary attachments one BINARY_EVENT / BINARY_ACK may announce. */
export const MAX_ATTACHMENTS = 1000;
/** Longest ack id, in digits (stays a safe integer). */
export const MAX_ID_DIGITS = 15;
/** Longest data kept on an engine record (ping/pong probe, close reason). */
export const MAX_ENGINE_DATA_CHARS = 256;
