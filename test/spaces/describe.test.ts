import { describe, expect, it } from 'vitest';
import { SPACES_EVENTS, describeEvent } from '../../src/core/spaces/describe';
import type { SenderInfo } from '../../src/core/spaces/types';
import type { JsonValue, SocketPacket } from '../../src/core/wire/types';
import { event, seed } from './fixtures';

const TEST_USER: SenderInfo = {
  id: '5f04251caa4a347af9946e06',
  displayName: 'Test user',
  username: '',
  type: 'user',
  pictureUrl: '',
};

interface Expected {
  category: string;
  topicId: string;
  itemId?: string;
  topicTitle?: string;
  topicType?: string;
  sender?: SenderInfo;
  summary: string;
}

const cases: Record<string, Expected> = {
  'chat.json': {
    category: 'chat',
    topicId: '5f06c25e574ca36b54cb4cdf',
    itemId: '5f103c8b76111fce5a460df8',
    topicTitle: 'aadasdasdasdasd',
    topicType: 'group',
    sender: TEST_USER,
    summary: 'chat "asd" by Test user',
  },
  'task.json': {
    category: 'task',
    topicId: '5f0425254b3cd61ae416fa5f',
    summary: 'task "asdasd" pending, 1 file',
  },
  'topic.updated.json': {
    category: 'topic.updated',
    topicId: '5f047cbf1f2f363310b0cda0',
    itemId: '5f047cbf1f2f363310b0cda0',
    topicTitle: 'new space',
    topicType: 'group',
    sender: { id: '5f04251caa4a347af9946e06', displayName: 'Test user', type: 'user' },
    summary: 'topic.updated "new space"',
  },
  'topic.markread.json': {
    category: 'topic.markread',
    topicId: '5f06c25e574ca36b54cb4cdf',
    itemId: '5f06c25e574ca36b54cb4cdf',
    sender: { id: '5f04251caa4a347af9946e06', type: 'user' },
    summary: 'topic.markread 5f06c25e574ca36b54cb4cdf',
  },
  'app.event.user.topic.preference.updated.json': {
    category: 'app.event.user.topic.preference.updated',
    topicId: '5f06c25e574ca36b54cb4cdf',
    itemId: '5f06c25e574ca36b54cb4cdf',
    sender: { id: '5f04251caa4a347af9946e06', type: 'user' },
    summary: 'app.event.user.topic.preference.updated pinned, notifications on',
  },
  'app.event.task.updated.json': {
    category: 'app.event.task.updated',
    topicId: '5f0425254b3cd61ae416fa5f',
    itemId: '5f084be01015c7ea0129f976',
    sender: TEST_USER,
    summary: 'app.event.task.updated "asdasd" pending, 1 file by Test user',
  },
  'app.event.idea.updated.json': {
    category: 'app.event.idea.updated',
    topicId: '5f0425254b3cd61ae416fa5f',
    itemId: '5f084a681015c7cc4929f8ca',
    sender: TEST_USER,
    summary: 'app.event.idea.updated "asdasasd" pending, 1 file by Test user',
  },
  'app.event.message.removed.json': {
    category: 'app.event.message.removed',
    topicId: '5f0425254b3cd61ae416fa5f',
    itemId: '5f0848181015c73ae229f735',
    sender: TEST_USER,
    summary: 'app.event.message.removed "sdasdasdasd" by Test user',
  },
  'idea.json': {
    category: 'idea',
    topicId: '5f0425254b3cd61ae416fa5f',
    itemId: '5f084a681015c7cc4929f8ca',
    topicTitle: 'aadasdasdasdasd',
    topicType: 'group',
    sender: TEST_USER,
    summary: 'idea "asdasasd" by Test user',
  },
  'chat.comment.json': {
    category: 'chat',
    topicId: '5f0425254b3cd61ae416fa5f',
    itemId: '5f084c0a1015c7b5f229f9a1',
    sender: { id: '5f04251caa4a347af9946e06', displayName: 'Test user', type: 'user' },
    summary: 'chat "This is a comment inside a post" in idea by Test user',
  },
};
const conversion = ['not started', 'in progress', 'complete', 'failed', 'failed but retrying'];
for (const [n, words] of conversion.entries()) {
  for (const suffix of ['', '.string']) {
    cases[`attachment.convertStatus-${n}${suffix}.json`] = {
      category: 'chat',
      topicId: '5f0425254b3cd61ae416fa5f',
      itemId: `5f084a681015c7cc4929f9${suffix ? 'b' : 'a'}${n}`,
      sender: { id: '5f04251caa4a347af9946e06', displayName: 'Test user', type: 'user' },
      summary: `chat "attachment ${words}", 1 file by Test user`,
    };
  }
}

describe('describeEvent: MESSAGE_SENT seed fixtures', () => {
  it('covers every fixture', () => {
    expect(Object.keys(cases)).toHaveLength(20);
  });
  for (const [file, want] of Object.entries(cases)) {
    it(file, () => {
      const info = describeEvent(event('MESSAGE_SENT', seed(file)), 'in');
      expect(info).toEqual({ event: 'MESSAGE_SENT', known: true, knownCategory: true, issues: [], ...want });
    });
  }
});

describe('describeEvent: known events', () => {
  it('lists the documented events and CHANNEL_UNSUBSCRIBED', () => {
    expect([...SPACES_EVENTS]).toEqual([
      'SUBSCRIBE_CHANNEL',
      'CHANNEL_SUBSCRIBED',
      'SUBSCRIBE_CHANNEL_FAILED',
      'UNSUBSCRIBE_CHANNEL',
      'CHANNEL_UNSUBSCRIBED',
      'SEND_MESSAGE',
      'MESSAGE_SENT',
      'SEND_MESSAGE_FAILED',
      'SEND_PRESENCE_EVENT',
      'SEND_MEDIA_SESSION_EVENTS',
      'PRESENCE_EVENT_RESPONSE',
      'MEDIA_SESSION_RESPONSE',
    ]);
  });

  it('describes an outgoing SEND_MESSAGE and its echo with the same loopback', () => {
    const send = describeEvent(
      event('SEND_MESSAGE', {
        content: { bodyText: '<p>hello <b>there</b></p>', data: [] },
        category: 'chat',
        topicId: 'T1',
        version: '1.1',
        loopbackMetadata: 'lb-42',
      }),
      'out',
    );
    expect(send).toEqual({
      event: 'SEND_MESSAGE',
      known: true,
      category: 'chat',
      knownCategory: true,
      topicId: 'T1',
      loopback: 'lb-42',
      summary: 'chat "hello there"',
      issues: [],
    });
    const echo = describeEvent(event('MESSAGE_SENT', { ...seed('chat.json'), loopbackMetadata: 'lb-42' }), 'in');
    expect(echo.loopback).toBe('lb-42');
    expect(echo.issues).toEqual([]);
  });

  it('reports SEND_MESSAGE payload issues by path', () => {
    const info = describeEvent(event('SEND_MESSAGE', { category: 'chat', content: { bodyText: 1 } }), 'out');
    expect(info.issues.map((i) => i.path)).toEqual(['topicId', 'content.bodyText']);
  });

  it('describes SEND_MESSAGE_FAILED with its error and loopback', () => {
    const a = describeEvent(event('SEND_MESSAGE_FAILED', { loopbackMetadata: 'lb-1', error: 'not a member' }), 'in');
    expect(a).toMatchObject({ known: true, loopback: 'lb-1', error: 'not a member', summary: 'failed: not a member' });
    const b = describeEvent(event('SEND_MESSAGE_FAILED', { loopbackMetadata: 'lb-2', error: { message: 'quota' } }), 'in');
    expect(b).toMatchObject({ loopback: 'lb-2', error: 'quota' });
    const c = describeEvent(event('SEND_MESSAGE_FAILED', 'boom'), 'in');
    expect(c).toMatchObject({ error: 'boom', summary: 'failed: boom' });
    expect(c.loopback).toBeUndefined();
  });

  it('redacts a SUBSCRIBE_CHANNEL password and never returns it', () => {
    const info = describeEvent(
      event('SUBSCRIBE_CHANNEL', { channel: { _id: 'T1', type: 'topic', password: 'hunter2-secret' } }),
      'out',
    );
    expect(info).toEqual({
      event: 'SUBSCRIBE_CHANNEL',
      known: true,
      topicId: 'T1',
      channel: { id: 'T1', type: 'topic', password: '[redacted]' },
      summary: 'topic T1 with password',
      issues: [],
    });
    expect(JSON.stringify(info)).not.toContain('hunter2');
    const noPassword = describeEvent(event('SUBSCRIBE_CHANNEL', { channel: { _id: 'T1', type: 'topic', password: null } }), 'out');
    expect(noPassword.channel).toEqual({ id: 'T1', type: 'topic' });
  });

  it('reports a malformed SUBSCRIBE_CHANNEL', () => {
    expect(describeEvent(event('SUBSCRIBE_CHANNEL', { _id: 'T1' }), 'out').issues.map((i) => i.path)).toEqual(['channel']);
    expect(describeEvent(event('SUBSCRIBE_CHANNEL', { channel: { _id: 3 } }), 'out').issues.map((i) => i.path)).toEqual([
      'channel._id',
    ]);
    expect(describeEvent(event('UNSUBSCRIBE_CHANNEL'), 'out').issues.map((i) => i.path)).toEqual(['']);
  });

  it('describes CHANNEL_SUBSCRIBED and SUBSCRIBE_CHANNEL_FAILED', () => {
    const ok = describeEvent(event('CHANNEL_SUBSCRIBED', { channel: { _id: 'T1', type: 'topic' } }), 'in');
    expect(ok).toMatchObject({ topicId: 'T1', channel: { id: 'T1', type: 'topic' }, summary: 'topic T1', issues: [] });
    const bare = describeEvent(event('CHANNEL_SUBSCRIBED', { _id: 'T2', type: 'topic' }), 'in');
    expect(bare.channel).toEqual({ id: 'T2', type: 'topic' });
    const failed = describeEvent(
      event('SUBSCRIBE_CHANNEL_FAILED', { channel: { _id: 'T1', type: 'topic' }, error: 'wrong password' }),
      'in',
    );
    expect(failed).toMatchObject({ topicId: 'T1', error: 'wrong password', summary: 'topic T1: wrong password' });
  });

  it('describes presence and media session events by category and topic', () => {
    const info = describeEvent(
      event('SEND_PRESENCE_EVENT', {
        category: 'app.event.presence.party.online',
        topicId: 'T1',
        content: { idle: false, mediaSession: { audio: true } },
      }),
      'out',
    );
    expect(info).toMatchObject({ known: true, category: 'app.event.presence.party.online', topicId: 'T1' });
    expect(info.summary).toBe('You are online · audio');
  });

  it('flags an event seen in the wrong direction', () => {
    expect(describeEvent(event('MESSAGE_SENT', seed('chat.json')), 'out').issues).toEqual([
      { path: '', message: 'MESSAGE_SENT is sent by the server, but came from the client' },
    ]);
    expect(describeEvent(event('SUBSCRIBE_CHANNEL', { channel: { _id: 'T' } }), 'in').issues).toHaveLength(1);
  });

  it('strips HTML from the body and truncates it', () => {
    const long = 'word '.repeat(40);
    const info = describeEvent(
      event('MESSAGE_SENT', { _id: 'm', category: 'chat', topicId: 't', content: { bodyText: `<p>a &amp; b</p><p>c&#33;</p>` } }),
      'in',
    );
    expect(info.summary).toBe('chat "a & b c!"');
    const cut = describeEvent(event('MESSAGE_SENT', { _id: 'm', category: 'chat', topicId: 't', content: { bodyText: long } }), 'in');
    expect(cut.summary).toMatch(/^chat "(word ){11}word…"$/);
    expect(cut.summary.length).toBeLessThan(80);
  });

  it('marks an archived space', () => {
    const p = seed('topic.updated.json');
    (p.content as { [key: string]: JsonValue }).status = 1;
    expect(describeEvent(event('MESSAGE_SENT', p), 'in').summary).toBe('topic.updated "new space" archived');
  });
});

describe('describeEvent: unknown and malformed', () => {
  it('keeps an unknown category', () => {
    const info = describeEvent(event('MESSAGE_SENT', { _id: 'x', category: 'app.event.new.kind', topicId: 't' }), 'in');
    expect(info).toMatchObject({ known: true, category: 'app.event.new.kind', knownCategory: false, itemId: 'x', issues: [] });
    expect(info.summary).toBe('app.event.new.kind');
  });

  it('keeps an unknown event, summarised from its args with secrets redacted', () => {
    const info = describeEvent(event('SOMETHING_NEW', { a: 1, token: 'abc.def', nested: { password: 'p' } }, 'two'), 'in');
    expect(info).toEqual({
      event: 'SOMETHING_NEW',
      known: false,
      summary: '[{a:1,token:"[redacted]",nested:{password:"[redacted]"}},"two"]',
      issues: [],
    });
    expect(describeEvent(event('PING_ME'), 'out').summary).toBe('(no arguments)');
  });

  it('shows binary attachments by size', () => {
    const packet: SocketPacket = {
      type: 'BINARY_EVENT',
      nsp: '/',
      event: 'upload',
      args: [{ $binary: { length: 3, preview: '010203' } }],
      attachments: 1,
    };
    expect(describeEvent(packet, 'out').summary).toBe('<binary 3 bytes>');
  });

  it('never throws on non-object arguments', () => {
    for (const name of [...SPACES_EVENTS, 'other', '']) {
      for (const arg of [null, 1, 'x', true, [], [null, [1]], { content: 'x', sender: 5, channel: [] }]) {
        const info = describeEvent(event(name, arg), 'in');
        expect(typeof info.summary).toBe('string');
      }
    }
    const payload = describeEvent(event('MESSAGE_SENT', 'text'), 'in');
    expect(payload.issues).toEqual([{ path: '', message: 'expected an object, got a string' }]);
    expect(payload.summary).toBe('"text"');
  });

  it('ignores inherited and __proto__ keys', () => {
    const p = JSON.parse('{"__proto__": {"category": "chat"}, "topicId": "t"}') as JsonValue;
    const info = describeEvent(event('MESSAGE_SENT', p), 'in');
    expect(info.category).toBeUndefined();
    expect(info.issues.map((i) => i.path)).toEqual(['category']);
  });

  it('describes ACK and other packets generically', () => {
    expect(describeEvent({ type: 'ACK', nsp: '/chat', id: 7, args: [{ ok: true }] }, 'in')).toEqual({
      event: '',
      known: false,
      summary: 'ack 7 [{ok:true}]',
      issues: [],
    });
    expect(describeEvent({ type: 'CONNECT', nsp: '/chat', args: [] }, 'out').summary).toBe('CONNECT /chat');
  });
});
