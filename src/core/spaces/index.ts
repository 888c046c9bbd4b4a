// The Spaces layer's public API.
export type { ChannelInfo, PairedBy, ReplyInfo, SchemaIssue, SenderInfo, SpacesInfo } from './types';
export { SPACES_EVENTS, describeEvent, isSpacesEvent, type SpacesEventName } from './describe';
export { SPACES_CATEGORIES, checkPayload, isKnownCategory, type PayloadMode, type SpacesCategory } from './schema';
export { createSendTracker, withReply, type ObservedEvent, type SendTracker, type SendTrackerOptions } from './pairing';
export {
  CALL_CATEGORIES,
  MEDIA_CATEGORIES,
  MEDIA_EVENTS,
  PRESENCE_CATEGORIES,
  PRESENCE_EVENTS,
  checkSession,
  mediaWords,
  readSession,
  sessionFamily,
  sessionSummary,
  type MediaState,
  type Party,
  type SessionFamily,
  type SessionPayload,
} from './presence';
