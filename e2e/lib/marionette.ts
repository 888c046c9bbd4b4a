// A small client for Marionette, the remote protocol built into Firefox: JSON over TCP, each message sent
// as `<byte length>:<json>`. Commands are [0, id, name, params]; replies [1, id, error, result].
import { connect, type Socket } from 'node:net';

export class MarionetteError extends Error {
  constructor(
    readonly command: string,
    readonly error: { error?: string; message?: string; stacktrace?: string },
  ) {
    super(`${command}: ${error.error ?? 'error'}: ${error.message ?? ''}`);
  }
}

interface Pending {
  name: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class Marionette {
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private hello?: (value: unknown) => void;
  private closed?: Error;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('Marionette connection closed')));
  }

  /** Connects and waits for the server's hello. */
  static async connect(port: number, host = '127.0.0.1'): Promise<Marionette> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const m = new Marionette(socket);
    await new Promise((resolve) => (m.hello = resolve));
    return m;
  }

  /** Connects, retrying while Firefox starts up. */
  static async connectWhenUp(port: number, timeoutMs: number): Promise<Marionette> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await Marionette.connect(port);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Sends a command; rejects on an error reply, or when no reply came within timeoutMs. */
  send<T = unknown>(name: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, name, params]), 'utf8');
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle =
        <V>(f: (v: V) => void) =>
        (v: V): void => {
          clearTimeout(timer);
          f(v);
        };
      this.pending.set(id, { name, resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
      this.socket.write(`${body.length}:`);
      this.socket.write(body);
    });
  }

  /**
   * Runs an async script in the current context (content or chrome). The script's body gets `args` as
   * `arguments`, and must call the last argument (the resolve callback) with a JSON-able value.
   */
  async executeAsync<T>(script: string, args: unknown[] = [], timeoutMs = 30_000): Promise<T> {
    const r = await this.send<{ value: T }>(
      'WebDriver:ExecuteAsyncScript',
      { script, args, scriptTimeout: timeoutMs, newSandbox: false },
      timeoutMs + 5_000,
    );
    return r.value;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(this.buf.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(len)) return this.fail(new Error('Marionette: bad frame length'));
      if (this.buf.length < colon + 1 + len) return;
      const json = this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8');
      this.buf = this.buf.subarray(colon + 1 + len);
      this.onMessage(JSON.parse(json) as unknown);
    }
  }

  private onMessage(msg: unknown): void {
    if (!Array.isArray(msg)) {
      this.hello?.(msg);
      this.hello = undefined;
      return;
    }
    const [type, id, error, result] = msg as [number, number, MarionetteError['error'] | null, unknown];
    const p = this.pending.get(id);
    if (type !== 1 || !p) return;
    this.pending.delete(id);
    if (error) p.reject(new MarionetteError(p.name, error));
    else p.resolve(result);
  }

  private fail(e: Error): void {
    this.closed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
