/**
 * A Mock security context: handshake state, negotiated capabilities, keys and sequence windows,
 * plus export/import of all of it.
 */
import { wipe as wipeAll } from '@sspkit/core';
import type { TimeStamp } from '@sspkit/core';
import type { DirectionKeys } from './crypto.js';
import { directionKeys } from './crypto.js';
import { Cap } from './flags.js';
import type { HandshakeState } from './handshake.js';
import { ReceiveWindow } from './sequence.js';

export interface MockCredential {
  readonly use: number;
  readonly user?: string;
  readonly domain?: string;
  readonly key?: Uint8Array;
  readonly principal?: string;
}

export class MockContext {
  hs: HandshakeState;
  /** ISC_REQ_* / ASC_REQ_* of the first leg. */
  readonly requirements: number;
  /** SEC_I_COMPLETE_NEEDED / _AND_CONTINUE was returned and CompleteAuthToken has not run yet. */
  completionPending = false;
  start: TimeStamp;
  expiry: TimeStamp;
  sendSeq = 0;
  #send: DirectionKeys | undefined;
  #recv: DirectionKeys | undefined;
  #window: ReceiveWindow | undefined;

  constructor(hs: HandshakeState, requirements: number, start: TimeStamp, expiry: TimeStamp) {
    this.hs = hs;
    this.requirements = requirements;
    this.start = start;
    this.expiry = expiry;
  }

  get established(): boolean {
    return this.hs.complete && this.hs.sessionKey !== undefined;
  }

  /** Sender keys, receiver keys and window, derived once the session key exists. */
  keys(): { send: DirectionKeys; recv: DirectionKeys; window: ReceiveWindow } {
    if (!this.#send || !this.#recv || !this.#window) {
      const k = directionKeys(this.hs.sessionKey!);
      const client = this.hs.side === 'client';
      this.#send = client ? k.c2s : k.s2c;
      this.#recv = client ? k.s2c : k.c2s;
      this.#window = new ReceiveWindow((this.hs.caps & Cap.SEQUENCE) !== 0, (this.hs.caps & Cap.REPLAY) !== 0);
    }
    return { send: this.#send, recv: this.#recv, window: this.#window };
  }

  /** Wipes every secret the context holds. */
  wipe(): void {
    wipeAll(this.hs.key, this.hs.sessionKey, this.#send?.sign, this.#send?.seal, this.#recv?.sign, this.#recv?.seal);
  }

  /** Serialises the context (keys included: the packed context is as secret as the context). */
  export(resetSequence: boolean): Uint8Array {
    const hex = (b: Uint8Array | undefined): string | undefined => (b ? Buffer.from(b).toString('hex') : undefined);
    const win = this.established ? this.keys().window.snapshot() : undefined;
    const body = {
      v: 1,
      side: this.hs.side,
      legs: this.hs.legs,
      nextLeg: this.hs.nextLeg,
      transcript: this.hs.transcript.map((t) => hex(t)),
      caps: this.hs.caps,
      user: this.hs.user,
      domain: this.hs.domain,
      target: this.hs.target,
      key: hex(this.hs.key),
      sessionKey: hex(this.hs.sessionKey),
      complete: this.hs.complete,
      requirements: this.requirements,
      completionPending: this.completionPending,
      start: this.start.toString(),
      expiry: this.expiry.toString(),
      sendSeq: resetSequence ? 0 : this.sendSeq,
      window:
        win && !resetSequence ? { expected: win.expected, highest: win.highest, seen: win.seen.toString() } : undefined,
    };
    return new TextEncoder().encode(JSON.stringify(body));
  }

  /** Rebuilds a context from {@link export}'s bytes; undefined for anything malformed. */
  static import(bytes: Uint8Array): MockContext | undefined {
    try {
      const o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<string, unknown>;
      const hexes = (v: unknown): Uint8Array | undefined =>
        typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v) ? Uint8Array.from(Buffer.from(v, 'hex')) : undefined;
      const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
      if (
        o.v !== 1 ||
        (o.side !== 'client' && o.side !== 'server') ||
        !int(o.legs) ||
        !int(o.nextLeg) ||
        !int(o.caps) ||
        !int(o.sendSeq) ||
        !int(o.requirements)
      )
        return undefined;
      if (
        !Array.isArray(o.transcript) ||
        typeof o.complete !== 'boolean' ||
        typeof o.start !== 'string' ||
        typeof o.expiry !== 'string'
      )
        return undefined;
      const transcript = o.transcript.map(hexes);
      if (transcript.some((t) => t === undefined)) return undefined;
      const hs: HandshakeState = {
        side: o.side,
        legs: o.legs,
        nextLeg: o.nextLeg,
        transcript: transcript as Uint8Array[],
        caps: o.caps,
        complete: o.complete,
      };
      if (typeof o.user === 'string') hs.user = o.user;
      if (typeof o.domain === 'string') hs.domain = o.domain;
      if (typeof o.target === 'string') hs.target = o.target;
      const key = hexes(o.key);
      const sessionKey = hexes(o.sessionKey);
      if (key) hs.key = key;
      if (sessionKey) hs.sessionKey = sessionKey;
      if (hs.complete && !sessionKey) return undefined;
      const ctx = new MockContext(hs, o.requirements, BigInt(o.start), BigInt(o.expiry));
      ctx.sendSeq = o.sendSeq;
      ctx.completionPending = o.completionPending === true;
      const w = o.window as { expected?: unknown; highest?: unknown; seen?: unknown } | undefined;
      if (w && ctx.established) {
        if (!int(w.expected) || typeof w.highest !== 'number' || typeof w.seen !== 'string') return undefined;
        ctx.keys().window.restore({ expected: w.expected, highest: w.highest, seen: BigInt(w.seen) });
      }
      return ctx;
    } catch {
      return undefined;
    }
  }
}
