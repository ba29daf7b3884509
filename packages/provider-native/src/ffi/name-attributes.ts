/**
 * RFC 6680 naming extensions: the attributes an authenticated name carries (MIT exposes the PAC as
 * `urn:mspac:*`, authentication indicators as `auth-indicators`, and KDC-issued authorization data).
 */
import { check } from './errors.js';
import { gssLibrary } from './library.js';
import type { GssLibrary } from './library.js';
import { isGssError } from './major.js';
import { copyOut, fillBufferDesc, readPtr, takeBufferDesc } from './memory.js';

/** One name attribute with every value the library returned for it. */
export interface NameAttribute {
  readonly name: string;
  readonly authenticated: boolean;
  readonly complete: boolean;
  readonly values: readonly Buffer[];
  readonly displayValues: readonly string[];
}

function readBufferSet(lib: GssLibrary, setPtr: bigint): Buffer[] {
  if (setPtr === 0n) return [];
  const { bufferSet: bs, bufferDesc: bd } = lib.layout;
  const header = copyOut(lib, setPtr, bs.size);
  const count = Number(header.readBigUInt64LE(bs.count));
  const elements = header.readBigUInt64LE(bs.elements);
  // The descriptors are one contiguous array: one copy for all of them, then one per value.
  const descs = copyOut(lib, elements, count * bd.size);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * bd.size;
    out.push(copyOut(lib, descs.readBigUInt64LE(at + bd.value), Number(descs.readBigUInt64LE(at + bd.length))));
  }
  return out;
}

/** Releases a library-filled buffer without copying it (no call for an empty one). */
function dropBufferDesc(lib: GssLibrary, minor: Buffer, desc: Buffer): void {
  if (desc.readBigUInt64LE(lib.layout.bufferDesc.value) !== 0n) lib.gss.gss_release_buffer(minor, desc);
}

/**
 * gss_inquire_name + gss_get_name_attribute for every attribute (buffers released). The values and
 * display values are copied only for the attributes `wantValues` accepts (all by default); the
 * others come back with none, their authenticated and complete flags still read.
 */
export function nameAttributes(name: bigint, wantValues: (attribute: string) => boolean = () => true): NameAttribute[] {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const setOut = Buffer.alloc(8);
  const major = lib.gss.gss_inquire_name(minor, name, null, null, setOut);
  let names: Buffer[];
  try {
    check(lib, 'gss_inquire_name', major, minor);
    names = readBufferSet(lib, readPtr(setOut));
  } finally {
    if (readPtr(setOut) !== 0n) lib.gss.gss_release_buffer_set(minor, setOut);
  }
  return names.map((attr) => {
    const attrName = attr.toString('utf8');
    const copy = wantValues(attrName);
    const attrDesc = Buffer.alloc(lib.layout.bufferDesc.size);
    fillBufferDesc(lib, attrDesc, 0, attr);
    const authenticated = Buffer.alloc(4);
    const complete = Buffer.alloc(4);
    const more = Buffer.alloc(4);
    const values: Buffer[] = [];
    const displayValues: string[] = [];
    more.writeInt32LE(-1, 0);
    // `more` starts at -1 and the library counts it down through multi-valued attributes.
    for (let i = 0; i < 64 && more.readInt32LE(0) !== 0; i++) {
      const value = Buffer.alloc(lib.layout.bufferDesc.size);
      const display = Buffer.alloc(lib.layout.bufferDesc.size);
      const rc = lib.gss.gss_get_name_attribute(minor, name, attrDesc, authenticated, complete, value, display, more);
      if (isGssError(rc)) break;
      if (!copy) {
        dropBufferDesc(lib, minor, value);
        dropBufferDesc(lib, minor, display);
        continue;
      }
      values.push(takeBufferDesc(lib, minor, value));
      const shown = takeBufferDesc(lib, minor, display).toString('utf8');
      if (shown !== '') displayValues.push(shown);
    }
    return {
      name: attrName,
      authenticated: authenticated.readInt32LE(0) !== 0,
      complete: complete.readInt32LE(0) !== 0,
      values,
      displayValues,
    };
  });
}
