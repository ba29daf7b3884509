/**
 * Conversions between the three string kinds the package handles: Unicode strings (user names and
 * passwords as the application gives them), byte strings (one char per octet, as `node:http` and the
 * header codec see them) and octets.
 */
import { Buffer } from 'node:buffer';

/** Octets of a byte string (each char must be ≤ 0xFF). */
export function wireToBytes(wire: string): Buffer {
  return Buffer.from(wire, 'latin1');
}

/** Byte string of some octets. */
export function bytesToWire(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Byte string of the UTF-8 encoding of a Unicode string. */
export function unicodeToWire(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * Unicode reading of a byte string: UTF-8 when it decodes cleanly, otherwise ISO-8859-1 (the RFC 2617
 * default charset), so an old client's Latin-1 user name still finds its user.
 */
export function wireToUnicode(wire: string): string {
  const bytes = wireToBytes(wire);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return wire;
  }
}
