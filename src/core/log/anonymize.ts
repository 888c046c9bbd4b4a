// Anonymized export: names, usernames, e-mails, avatars, phone numbers and message text become stable
// placeholders (the same value always gets the same placeholder within one export); ids, times,
// categories, statuses and the structure stay, so groups, versions, diffs and attachment timelines
// read the same. Raw frame text cannot be anonymized field by field and is left out.
import { describeEvent } from '../spaces';
import type { JsonValue, SocketPacket } from '../wire/types';
import type { LogEvent } from './format';

type Kind = 'name' | 'user' | 'avatar' | 'text' | 'phone' | 'title' | 'file';

/** Keys (lowercased, without '_' and '-') whose string values are personal, and what they become. */
const KEYS: Record<string, Kind> = {
  displayname: 'name',
  firstname: 'name',
  lastname: 'name',
  fullname: 'name',
  username: 'user',
  email: 'user',
  emails: 'user',
  mail: 'user',
  pictureurl: 'avatar',
  picture: 'avatar',
  avatar: 'avatar',
  avatarurl: 'avatar',
  phonenumbers: 'phone',
  phone: 'phone',
  phonenumber: 'phone',
  bodytext: 'text',
  text: 'text',
  description: 'text',
  keywords: 'text',
  title: 'title',
  topictitle: 'title',
  name: 'file',
};

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

export class Anonymizer {
  private readonly maps = new Map<Kind, Map<string, string>>();

  private placeholder(kind: Kind, value: string): string {
    if (value === '') return value;
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    let p = m.get(value);
    if (p === undefined) {
      const n = m.size + 1;
      p = kind === 'user' ? `user-${n}@example.invalid` : kind === 'avatar' ? `avatar-${n}` : kind === 'file' ? fileName(value, n) : `${kind}-${n}`;
      m.set(value, p);
    }
    return p;
  }

  /** A copy of value with personal strings replaced; `kind` applies to every string below a personal key. */
  json(value: JsonValue, kind?: Kind): JsonValue {
    if (typeof value === 'string') return kind ? this.placeholder(kind, value) : value.replace(EMAIL, (e) => this.placeholder('user', e.toLowerCase()));
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((c) => this.json(c, kind));
    const out: { [key: string]: JsonValue } = {};
    for (const [k, c] of Object.entries(value)) out[k] = this.json(c, kind ?? KEYS[k.toLowerCase().replace(/[-_]/g, '')]);
    return out;
  }

  /** The event with its payload anonymized, its Spaces description made again from it, raw text left out. */
  event(e: LogEvent): LogEvent {
    const { raw: _raw, ...rest } = e;
    if (rest.kind === 'socket') {
      const packet: SocketPacket = { ...rest.packet, args: rest.packet.args.map((a) => this.json(a)) };
      if (rest.packet.data !== undefined) packet.data = this.json(rest.packet.data);
      if (rest.packet.query !== undefined) packet.query = rest.packet.query.replace(EMAIL, (m) => this.placeholder('user', m.toLowerCase()));
      const out: LogEvent = { ...rest, packet };
      if (rest.spaces) {
        const spaces = describeEvent(packet, rest.dir);
        if (rest.spaces.reply) spaces.reply = rest.spaces.reply;
        out.spaces = spaces;
      }
      return out;
    }
    if (rest.kind === 'engine' && rest.type !== 'open' && rest.data !== undefined) return { ...rest, data: this.placeholder('text', rest.data) };
    if (rest.kind === 'life' && rest.reason) return { ...rest, reason: this.placeholder('text', rest.reason) };
    if (rest.kind === 'error') return { ...rest, error: rest.error.replace(EMAIL, (m) => this.placeholder('user', m.toLowerCase())) };
    return rest;
  }
}

function fileName(value: string, n: number): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(value);
  return ext ? `file-${n}.${ext[1]}` : `name-${n}`;
}
