/**
 * Per-message protection: MakeSignature / VerifySignature / SealMessage / UnsealMessage.
 *
 * Trailer (32 bytes), written into the caller's TOKEN buffer:
 *   version u8 (1) | flags u8 (bit 0: data encrypted) | 0 u16 | seq u32 BE | nonce (8) | MAC (16)
 * MAC = HMAC-SHA-256(signKey, header ‖ for each covered buffer: type u32 ‖ length u32 ‖ bytes),
 * truncated to 16 bytes; the header is the first 16 bytes. Covered: every buffer but TOKEN, PADDING
 * and SECBUFFER_READONLY ones. Encrypted: DATA buffers that are not read-only (AES-256-CTR, one
 * stream across buffers, IV = nonce ‖ seq ‖ 0). The random per-message nonce keeps the keystream
 * fresh even when sequence numbers restart (an export with RESET_NEW, a context imported twice).
 * Encrypt-then-MAC, and the MAC is checked before the sequence number.
 */
import type { Out, SecBuffer, SecBufferDesc } from '@sspkit/core';
import {
  SecBufferFlag,
  SecBufferType,
  SecQop,
  SecStatus,
  constantTimeEqual as macEqual,
  findBuffer,
  isReadOnly,
  writeBuffer,
} from '@sspkit/core';
import { cryptInPlace, hmac } from './crypto.js';
import type { DirectionKeys } from './crypto.js';
import type { ReceiveWindow } from './sequence.js';

const S = SecStatus;
export const TRAILER_SIZE = 32;
const HEADER_SIZE = 16;
const FLAG_ENCRYPTED = 0x1;
const KNOWN_TRAILER_FLAGS = FLAG_ENCRYPTED;

function covered(b: SecBuffer): boolean {
  return b.type !== SecBufferType.TOKEN && b.type !== SecBufferType.PADDING && (b.flags & SecBufferFlag.READONLY) === 0;
}

function encrypted(b: SecBuffer): boolean {
  return b.type === SecBufferType.DATA && !isReadOnly(b);
}

function mac(key: Uint8Array, header: Uint8Array, message: SecBufferDesc): Uint8Array {
  const parts: Uint8Array[] = [header];
  for (const b of message.buffers) {
    if (!covered(b)) continue;
    const prefix = new Uint8Array(8);
    const v = new DataView(prefix.buffer);
    v.setUint32(0, b.type);
    v.setUint32(4, b.data.length);
    parts.push(prefix, b.data);
  }
  return hmac(key, 'msg', ...parts).subarray(0, 16);
}

function header(flags: number, seq: number, nonce: Uint8Array): Uint8Array {
  const h = new Uint8Array(HEADER_SIZE);
  h[0] = 1;
  h[1] = flags;
  new DataView(h.buffer).setUint32(4, seq >>> 0);
  h.set(nonce.subarray(0, 8), 8);
  return h;
}

function hasData(message: SecBufferDesc): boolean {
  return message.buffers.some((b) => b.type === SecBufferType.DATA);
}

/** Signs (and optionally encrypts) with the sender's keys; `seq` is the sender's next number, `nonce` 8 fresh random bytes. */
export function protect(
  keys: DirectionKeys,
  seq: number,
  message: SecBufferDesc,
  encrypt: boolean,
  nonce: Uint8Array,
): number {
  const token = findBuffer(message, SecBufferType.TOKEN);
  if (!token || !hasData(message)) return S.SEC_E_INVALID_TOKEN;
  if (isReadOnly(token)) return S.SEC_E_INVALID_TOKEN;
  if (token.data.length < TRAILER_SIZE) return S.SEC_E_BUFFER_TOO_SMALL;
  const h = header(encrypt ? FLAG_ENCRYPTED : 0, seq, nonce);
  if (encrypt)
    cryptInPlace(
      keys.seal,
      h.subarray(8, 16),
      seq,
      message.buffers.filter(encrypted).map((b) => b.data),
    );
  const trailer = new Uint8Array(TRAILER_SIZE);
  trailer.set(h, 0);
  trailer.set(mac(keys.sign, h, message), HEADER_SIZE);
  const padding = findBuffer(message, SecBufferType.PADDING);
  if (padding && !isReadOnly(padding)) padding.data = padding.data.subarray(0, 0); // a stream cipher pads nothing
  return writeBuffer(token, trailer, false);
}

/**
 * Checks (and optionally decrypts) with the receiver's keys. `sealed` is true for DecryptMessage:
 * a signature-only trailer is then accepted only as SECQOP_WRAP_NO_ENCRYPT.
 */
export function unprotect(
  keys: DirectionKeys,
  window: ReceiveWindow,
  message: SecBufferDesc,
  sealed: boolean,
  qop: Out<number> | undefined,
): number {
  const token = findBuffer(message, SecBufferType.TOKEN);
  if (!token || !hasData(message)) return S.SEC_E_INVALID_TOKEN;
  if (token.data.length < TRAILER_SIZE) return S.SEC_E_INVALID_TOKEN;
  const t = token.data;
  const h = t.subarray(0, HEADER_SIZE);
  const expected = mac(keys.sign, h, message);
  // Any change to header, sequence number, nonce, MAC or covered data lands here first.
  if (
    !macEqual(expected, t.subarray(HEADER_SIZE, TRAILER_SIZE)) ||
    t[0] !== 1 ||
    (t[1]! & ~KNOWN_TRAILER_FLAGS) !== 0 ||
    t.length !== TRAILER_SIZE
  ) {
    return S.SEC_E_MESSAGE_ALTERED;
  }
  const isEncrypted = (t[1]! & FLAG_ENCRYPTED) !== 0;
  if (!sealed && isEncrypted) return S.SEC_E_MESSAGE_ALTERED;
  const seq = new DataView(t.buffer, t.byteOffset + 4, 4).getUint32(0);
  if (!window.check(seq)) return S.SEC_E_OUT_OF_SEQUENCE;
  window.accept(seq);
  if (isEncrypted)
    cryptInPlace(
      keys.seal,
      t.subarray(8, 16),
      seq,
      message.buffers.filter(encrypted).map((b) => b.data),
    );
  if (qop) qop.value = sealed && !isEncrypted ? SecQop.WRAP_NO_ENCRYPT : 0;
  return S.SEC_E_OK;
}
