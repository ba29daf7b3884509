/**
 * Length-prefixed token framing over a TCP socket, in two dialects: MIT gss-sample's
 * (1 flag byte + 4-byte big-endian length, from gss-misc.c send_token/recv_token) and a plain one
 * (4-byte big-endian length) used with the python3-gssapi peer.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** gss-sample token flags (gss-misc.h). */
export const SampleFlag = {
  NOOP: 1 << 0,
  CONTEXT: 1 << 1,
  DATA: 1 << 2,
  MIC: 1 << 3,
  CONTEXT_NEXT: 1 << 4,
  WRAPPED: 1 << 5,
  ENCRYPTED: 1 << 6,
  SEND_MIC: 1 << 7,
} as const;

/** One received frame. */
export interface Frame {
  readonly flags: number;
  readonly data: Buffer;
}

/** A framed connection; `withFlags` selects the gss-sample dialect. */
export class FramedSocket {
  #pending = Buffer.alloc(0);
  #waiters: Array<() => void> = [];
  #closed = false;

  constructor(
    readonly socket: Socket,
    private readonly withFlags: boolean,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #take(n: number): Promise<Buffer> {
    while (this.#pending.length < n) {
      if (this.#closed) throw new Error(`connection closed while waiting for ${n} bytes`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const out = this.#pending.subarray(0, n);
    this.#pending = this.#pending.subarray(n);
    return Buffer.from(out);
  }

  /** Sends one frame. */
  send(data: Uint8Array, flags = 0): void {
    const header = Buffer.alloc(this.withFlags ? 5 : 4);
    if (this.withFlags) header.writeUInt8(flags, 0);
    header.writeUInt32BE(data.length, this.withFlags ? 1 : 0);
    this.socket.write(Buffer.concat([header, data]));
  }

  /** Receives one frame. */
  async recv(): Promise<Frame> {
    const flags = this.withFlags ? (await this.#take(1)).readUInt8(0) : 0;
    const length = (await this.#take(4)).readUInt32BE(0);
    return { flags, data: length === 0 ? Buffer.alloc(0) : await this.#take(length) };
  }

  /** Closes the connection. */
  close(): void {
    this.socket.end();
  }
}

/** Connects to 127.0.0.1:port, retrying briefly while the peer starts. */
export async function connectFramed(port: number, withFlags: boolean): Promise<FramedSocket> {
  for (let attempt = 0; ; attempt++) {
    try {
      const socket = await new Promise<Socket>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
      return new FramedSocket(socket, withFlags);
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Resolves once something listens on TCP `port` (read from /proc/net/tcp, without connecting). */
export async function waitForListener(port: number, timeoutMs = 5000): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    });
    if (
      tables.some((t) =>
        t.split('\n').some((line) => line.includes(hex) && / 0A /.test(line) && line.indexOf(hex) < 40),
      )
    )
      return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
