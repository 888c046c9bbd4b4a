// Wire decoder throughput on realistic MESSAGE_SENT frames, measured against JSON.parse of the same
// JSON in alternating rounds (medians), the cost of rejecting a frame that is not Socket.IO, and the
// redaction's cost per MB of frames beside the decode's, against today's rules (bench/lib/redact-baseline.ts).
import { loadavg } from 'node:os';
import { createConnectionDecoder, type ConnectionDecoder } from '../src/core/wire/decoder';
import { redactJson, redactText } from '../src/core/wire/redact';
import * as baseline from './lib/redact-baseline';
import { attachment } from './lib/payload';
import { median, quantile } from './lib/stats';

const ROUNDS = 21;
const SLICES = 10;
const SLICE_MS = 2;

/** A task MESSAGE_SENT (seed doc's 'task' / 'app.event.task.updated' examples) with attachments, ~5 KB. */
function messageSent(): unknown {
  return {
    _id: '5f084be01015c7ea0129f976',
    category: 'task',
    chatCount: 0,
    chatMessages: {},
    content: {
      assignees: [{ _id: '5f04251caa4a347af9946e06' }, { _id: '5ef9b678aa4a347af983c74c' }],
      bodyText: 'Review the compressed user actions and report back before the sync <b>today</b>.',
      data: [0, 1, 2, 3, 4, 5, 6].map((i) => attachment(i)),
      description: '<p>Please check the attached files and update the task status when done.</p>',
      dueDate: '2020-07-10T11:06:59.733Z',
      endTime: null,
      mediaMode: 'audio',
      meetingStatus: 'active',
      recordings: [],
      startTime: '2020-07-10T11:07:12.284Z',
      status: 'pending',
      virtualEndTime: null,
    },
    created: '2020-07-10T11:07:12.280Z',
    likeCount: 0,
    messageId: '5f084be01015c7ea0129f976',
    modified: '2020-07-10T11:11:48.199Z',
    sender: {
      _id: '5f04251caa4a347af9946e06',
      displayname: 'Test user',
      picture_url: 'https://storage.example.com/avatars/5f04251caa4a347af9946e06.png',
      type: 'user',
      username: 'test.user@example.com',
    },
    status: 0,
    topicId: '5f0425254b3cd61ae416fa5f',
    topicTitle: 'Release planning',
    topicType: 'group',
  };
}


let sink = 0;

/** Calls per slice so that one slice of f lasts about SLICE_MS. */
function calibrate(f: () => void): number {
  let calls = 16;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) f();
    const ms = performance.now() - t0;
    if (ms > 20) return Math.max(1, Math.round((calls * SLICE_MS) / ms));
    calls *= 2;
  }
}

/**
 * Seconds per call of each function, per round. Each round runs short slices of every function in
 * turn (order rotated), so that all of them see the same machine load.
 */
function compare(fs: (() => void)[]): number[][] {
  const calls = fs.map(calibrate);
  const samples: number[][] = fs.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const spent = fs.map(() => 0);
    for (let s = 0; s < SLICES; s++) {
      for (let k = 0; k < fs.length; k++) {
        const i = (k + r + s) % fs.length;
        const f = fs[i] as () => void;
        const n = calls[i] as number;
        const t0 = performance.now();
        for (let c = 0; c < n; c++) f();
        spent[i] = (spent[i] as number) + (performance.now() - t0);
      }
    }
    spent.forEach((ms, i) => (samples[i] as number[]).push(ms / 1000 / ((calls[i] as number) * SLICES)));
  }
  return samples;
}

/** Median over rounds of a / b, both measured in the same rounds. */
function medianRatio(a: number[], b: number[]): number {
  return median(a.map((x, i) => x / (b[i] as number)));
}

export default function run(): void {
  const json = JSON.stringify(['MESSAGE_SENT', messageSent()]);
  const frame = `42/chat,${json}`;
  const MB = frame.length / 1e6;

  const ws: ConnectionDecoder = createConnectionDecoder({ conn: 1, url: 'wss://spaces.example/socket.io/?EIO=3&transport=websocket', transport: 'websocket' });
  const check = ws.push({ t: 0, dir: 'in', data: frame });
  if (check.length !== 1 || check[0]?.kind !== 'socket') throw new Error(`bench frame does not decode: ${JSON.stringify(check)}`);

  const decode = (): void => {
    const r = ws.push({ t: 0, dir: 'in', data: frame });
    sink += r.length;
  };
  const parse = (): void => {
    const v = JSON.parse(json) as unknown[];
    sink += v.length;
  };

  const noEio = createConnectionDecoder({ conn: 2, url: 'wss://other.example/live', transport: 'websocket' });
  const notSio = JSON.stringify({ type: 'presence', payload: messageSent() });
  const rejectNoEio = (): void => {
    sink += noEio.push({ t: 0, dir: 'in', data: notSio }).length;
  };
  const notEngine = `hello ${json}`;
  const rejectNotEngine = (): void => {
    sink += ws.push({ t: 0, dir: 'in', data: notEngine }).length;
  };

  const [sDecode, sParse, sNoEio, sNotEngine] = compare([decode, parse, rejectNoEio, rejectNotEngine]) as [number[], number[], number[], number[]];
  const tDecode = median(sDecode);
  const decodeMBs = MB / tDecode;
  const parseMBs = MB / median(sParse);
  const ratio = medianRatio(sParse, sDecode); // throughput ratio = time(parse) / time(decode)
  const kb = (frame.length / 1024).toFixed(1);
  console.log(
    `decode MESSAGE_SENT ${kb}KB: ${decodeMBs.toFixed(1)} MB/s vs JSON.parse ${parseMBs.toFixed(1)} MB/s  ratio ${ratio.toFixed(2)} (target >= 0.8)  ${ratio >= 0.8 ? 'OK' : 'MISS'}`,
  );
  for (const [name, size, samples] of [
    ['frame on a URL without EIO=', notSio.length, sNoEio],
    ['text that is not an Engine.IO packet', notEngine.length, sNotEngine],
  ] as const) {
    const r = medianRatio(samples, sDecode);
    console.log(
      `reject ${name} (${(size / 1024).toFixed(1)}KB): ${(median(samples) * 1e6).toFixed(2)} us vs decode ${(tDecode * 1e6).toFixed(2)} us  ratio ${r.toFixed(3)} (target <= 0.02)  ${r <= 0.02 ? 'OK' : 'MISS'}`,
    );
  }
  redaction(frame, json);
  if (sink === 0) console.log('(nothing decoded)');
}

const us = (s: number): string => (s * 1e6).toFixed(1);
const spread = (xs: number[]): string => `min ${quantile(xs, 0).toFixed(3)} / median ${median(xs).toFixed(3)} / max ${quantile(xs, 1).toFixed(3)}`;

/**
 * The redaction of a received frame, per MB of frames, beside the decode (which includes it), all in
 * the same rounds. Nothing to redact: the decoder's inspection walk tests each key and string, and
 * redactJson (measured here: the same tests and a walk of its own, so an upper bound) runs only when
 * one fires. Today's rules (bench/lib/redact-baseline.ts) walk and copy every value of what the page
 * sends; they are run here on the received frame. With a ?token=<JWT> URL: the redaction and the
 * rebuilt raw text, against today's redactJson and redactText.
 */
function redaction(frame: string, json: string): void {
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  const secretMsg = messageSent() as { content: { data: { path: string }[] } };
  secretMsg.content.data[2]!.path += '?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const secretJson = JSON.stringify(['MESSAGE_SENT', secretMsg]);
  const secretFrame = `42/chat,${secretJson}`;
  const clean = JSON.parse(json) as unknown;
  const dirty = JSON.parse(secretJson) as unknown;
  const now = (): void => {
    sink += redactJson(clean) === clean ? 1 : 2;
  };
  const then = (): void => {
    sink += baseline.redactJson(clean).changed ? 2 : 1;
  };
  const nowSecret = (): void => {
    sink += JSON.stringify(redactJson(dirty)).length;
  };
  const thenSecret = (): void => {
    sink += baseline.redactText(secretFrame).length + (baseline.redactJson(dirty).changed ? 2 : 1);
  };
  const ws = createConnectionDecoder({ conn: 3, url: 'wss://spaces.example/socket.io/?EIO=3&transport=websocket', transport: 'websocket' });
  const decode = (): void => {
    sink += ws.push({ t: 0, dir: 'in', data: frame }).length;
  };
  const [sDecode, sNow, sThen, sNowSecret, sThenSecret] = compare([decode, now, then, nowSecret, thenSecret]) as [number[], number[], number[], number[], number[]];
  const perMB = (samples: number[], size: number): string => us(median(samples) / (size / 1e6));
  const ratios = (a: number[], b: number[]): number[] => a.map((x, i) => x / (b[i] as number));
  const kb = (n: number): string => (n / 1024).toFixed(1);
  console.log(`load average ${load} (1, 5, 15 min) before these rounds (${ROUNDS} rounds, the five functions in turn in each)`);
  console.log(
    `redaction, received MESSAGE_SENT ${kb(frame.length)}KB, nothing to redact: ${perMB(sNow, frame.length)} us/MB beside decode ${perMB(sDecode, frame.length)} us/MB; redaction/decode ${spread(ratios(sNow, sDecode))}; today's rules ${perMB(sThen, frame.length)} us/MB, new/today ${spread(ratios(sNow, sThen))}`,
  );
  console.log(
    `redaction, received MESSAGE_SENT ${kb(secretFrame.length)}KB with a ?token=<JWT> URL: ${perMB(sNowSecret, secretFrame.length)} us/MB; today's rules ${perMB(sThenSecret, secretFrame.length)} us/MB, new/today ${spread(ratios(sNowSecret, sThenSecret))}`,
  );
}
