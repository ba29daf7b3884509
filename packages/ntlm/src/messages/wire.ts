import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';

/** "NTLMSSP\0", the signature every message starts with (MS-NLMP §2.2.1). */
const SIGNATURE = Uint8Array.from([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00]);

/** Largest token we accept; real NTLM tokens are a few KiB, a field length is at most 0xffff. */
const MAX_MESSAGE_SIZE = 0x10000;

/** A little-endian DataView over any Uint8Array. */
export const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** A payload field descriptor (Len, MaxLen, BufferOffset) as found on the wire. */
export interface FieldRef {
  readonly length: number;
  readonly offset: number;
}

/** Checks the common prefix: size limits, signature and message type. */
export function checkHeader(buf: Uint8Array, type: number, minSize: number): DecodeResult<DataView> {
  if (buf.length > MAX_MESSAGE_SIZE) return fail('oversize', `message of ${buf.length} bytes`);
  if (buf.length < 12) return fail('truncated', 'shorter than the common header');
  for (let i = 0; i < 8; i++) if (buf[i] !== SIGNATURE[i]) return fail('bad-signature', 'not an NTLMSSP message');
  const v = viewOf(buf);
  const t = v.getUint32(8, true);
  if (t !== type) return fail('wrong-message-type', `expected type ${type}, got ${t}`);
  if (buf.length < minSize) return fail('truncated', `type ${type} needs at least ${minSize} bytes`);
  return ok(v);
}

/** Reads a field descriptor at `at`. */
export function fieldAt(v: DataView, at: number): FieldRef {
  return { length: v.getUint16(at, true), offset: v.getUint32(at + 4, true) };
}

/**
 * Resolves a field to its bytes, strictly: a non-empty field must lie wholly inside the message and
 * after the fixed header. Empty fields may carry any offset (clients disagree on what to put there).
 */
export function readField(buf: Uint8Array, f: FieldRef, headerEnd: number, name: string): DecodeResult<Uint8Array> {
  if (f.length === 0) return ok(new Uint8Array(0));
  if (f.offset < headerEnd) return fail('field-out-of-bounds', `${name} overlaps the header`);
  if (f.offset + f.length > buf.length) return fail('field-out-of-bounds', `${name} runs past the end`);
  return ok(buf.slice(f.offset, f.offset + f.length));
}

/** Lowest offset of any non-empty field: where the fixed header actually ends. */
export function payloadStart(buf: Uint8Array, fields: readonly FieldRef[]): number {
  let start = buf.length;
  for (const f of fields) if (f.length > 0 && f.offset < start) start = f.offset;
  return start;
}

/** Writes messages: fixed header first, then each payload appended with its descriptor patched. */
export class MessageWriter {
  readonly #header: Uint8Array;
  readonly #view: DataView;
  readonly #payload: Uint8Array[] = [];
  #offset: number;

  constructor(type: number, headerSize: number) {
    this.#header = new Uint8Array(headerSize);
    this.#header.set(SIGNATURE);
    this.#view = viewOf(this.#header);
    this.#view.setUint32(8, type, true);
    this.#offset = headerSize;
  }

  u32(at: number, value: number): this {
    this.#view.setUint32(at, value >>> 0, true);
    return this;
  }

  bytes(at: number, value: Uint8Array): this {
    this.#header.set(value, at);
    return this;
  }

  /** Appends `value` to the payload and writes its descriptor at `at`. */
  field(at: number, value: Uint8Array): this {
    if (value.length > 0xffff) throw new RangeError('NTLM field longer than 65535 bytes');
    this.#view.setUint16(at, value.length, true);
    this.#view.setUint16(at + 2, value.length, true);
    this.#view.setUint32(at + 4, this.#offset, true);
    this.#payload.push(value);
    this.#offset += value.length;
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#offset);
    out.set(this.#header);
    let o = this.#header.length;
    for (const p of this.#payload) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
