/**
 * Reads an MIT keytab file (the format krb5's `FILE:` keytab writes: version 0x0502, big-endian;
 * version 0x0501 in host order is refused). Never throws: a damaged entry ends the list with a reason.
 */

export interface KeytabEntry {
  readonly principal: string;
  readonly realm: string;
  readonly kvno: number;
  readonly etype: number;
  readonly key: Uint8Array;
}

export type KeytabResult =
  | { readonly ok: true; readonly entries: readonly KeytabEntry[]; readonly stopped?: string }
  | { readonly ok: false; readonly reason: string };

/** Parses a keytab's bytes. */
export function parseKeytab(bytes: Uint8Array): KeytabResult {
  if (bytes.length < 2 || bytes[0] !== 0x05) return { ok: false, reason: 'not a keytab (no 0x05 version byte)' };
  if (bytes[1] !== 0x02)
    return {
      ok: false,
      reason: `keytab version 0x05${(bytes[1] ?? 0).toString(16).padStart(2, '0')} is not supported`,
    };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: KeytabEntry[] = [];
  let p = 2;
  while (p + 4 <= bytes.length) {
    const size = v.getInt32(p);
    p += 4;
    if (size < 0) {
      p += -size; // a hole left by a removed entry
      continue;
    }
    if (size === 0) break;
    if (p + size > bytes.length) return { ok: true, entries, stopped: 'an entry runs past the end of the file' };
    const e = entry(bytes.subarray(p, p + size));
    if (e === undefined) return { ok: true, entries, stopped: 'a damaged entry' };
    entries.push(e);
    p += size;
  }
  return { ok: true, entries };
}

function entry(b: Uint8Array): KeytabEntry | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 0;
  const need = (n: number): boolean => p + n <= b.length;
  const counted = (): string | undefined => {
    if (!need(2)) return undefined;
    const n = v.getUint16(p);
    p += 2;
    if (!need(n)) return undefined;
    const s = Buffer.from(b.subarray(p, p + n)).toString('utf8');
    p += n;
    return s;
  };
  if (!need(2)) return undefined;
  const count = v.getUint16(p);
  p += 2;
  const realm = counted();
  if (realm === undefined) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = counted();
    if (c === undefined) return undefined;
    parts.push(c);
  }
  if (!need(4 + 4 + 1 + 2 + 2)) return undefined;
  p += 4; // name type
  p += 4; // timestamp
  let kvno = b[p] ?? 0;
  p += 1;
  const etype = v.getUint16(p);
  p += 2;
  const klen = v.getUint16(p);
  p += 2;
  if (!need(klen)) return undefined;
  const key = b.slice(p, p + klen);
  p += klen;
  // A 32-bit kvno follows when the entry has room for it (and overrides the 8-bit one unless zero).
  if (need(4)) {
    const k32 = v.getUint32(p);
    if (k32 !== 0) kvno = k32;
  }
  return { principal: `${parts.join('/')}@${realm}`, realm, kvno, etype, key };
}
