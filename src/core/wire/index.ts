export { createConnectionDecoder, isSocketIoUrl } from './decoder';
export type { ConnectionDecoder, ConnectionInfo, FrameInput } from './decoder';
export { REDACTED, redactUrl } from './redact';
export type * from './types';
