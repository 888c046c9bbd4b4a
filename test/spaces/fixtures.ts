// Loads the seed fixtures (test/fixtures/seed/*.json).
import { readdirSync, readFileSync } from 'node:fs';
import type { JsonValue, SocketPacket } from '../../src/core/wire/types';

const dir = new URL('../fixtures/seed/', import.meta.url);

export const seedFiles: string[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

export function seed(name: string): { [key: string]: JsonValue } {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { [key: string]: JsonValue };
}

export function event(name: string, ...args: JsonValue[]): SocketPacket {
  return { type: 'EVENT', nsp: '/chat', event: name, args };
}
