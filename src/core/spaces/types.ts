// The Spaces layer's view of one Socket.IO event: what the list and the detail show.

export interface SchemaIssue {
  /** JSON path into the event's payload, e.g. "content.data[0].convertStatus". */
  path: string;
  message: string;
}

export interface SenderInfo {
  id?: string;
  displayName?: string;
  username?: string;
  type?: string;
  pictureUrl?: string;
}

/** A channel named by SUBSCRIBE_CHANNEL and its replies. A password is never carried, only marked. */
export interface ChannelInfo {
  id?: string;
  type?: string;
  password?: '[redacted]';
}

/** How a reply was paired with its request: how sure the pair is ('content' and 'order' are guesses). */
export type PairedBy = 'loopback' | 'ack' | 'channel' | 'content' | 'order';

export const PAIRED_BY: readonly PairedBy[] = ['loopback', 'ack', 'channel', 'content', 'order'];

/** Set on a reply's SpacesInfo: the request it answers (see pairing.ts). */
export interface ReplyInfo {
  /** `seq` of the request. */
  toSeq: number;
  /** Reply time minus request time. */
  rttMs: number;
  outcome: 'echo' | 'failed' | 'ack' | 'subscribed' | 'unsubscribed';
  /** How it was paired (absent in logs written before it was recorded). */
  by?: PairedBy;
  /** The request's topicId: a SEND_MESSAGE_FAILED, which names none, belongs to it. */
  topicId?: string;
}

export interface SpacesInfo {
  /** Event name as sent. */
  event: string;
  /** One of the documented Spaces events. */
  known: boolean;
  /** MESSAGE_SENT category, kept as sent even when unknown. */
  category?: string;
  knownCategory?: boolean;
  topicId?: string;
  topicTitle?: string;
  topicType?: string;
  /** `_id` of the message, idea, task (or topic for topic events). */
  itemId?: string;
  sender?: SenderInfo;
  /** One line for the event list. */
  summary: string;
  /** Where the payload breaks the documented contract. */
  issues: SchemaIssue[];
  /** Loopback metadata that pairs a SEND_MESSAGE with its MESSAGE_SENT echo. */
  loopback?: string;
  /** SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL, CHANNEL_SUBSCRIBED, SUBSCRIBE_CHANNEL_FAILED, CHANNEL_UNSUBSCRIBED. */
  channel?: ChannelInfo;
  /** Error text of SEND_MESSAGE_FAILED / SUBSCRIBE_CHANNEL_FAILED. */
  error?: string;
  /** The request this event answers, when the send tracker paired it. */
  reply?: ReplyInfo;
}
