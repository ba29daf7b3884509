/** GSS names: import, display, local account mapping. Synchronous (no KDC traffic), but for
 * {@link localNameAsync}. */
import { check } from './errors.js';
import { NativeHandle } from './handles.js';
import { gssLibrary } from './library.js';
import { isGssError } from './major.js';
import { sharedGate } from './queue.js';
import { fillBufferDesc, oidBytes, readPtr, takeBufferDesc } from './memory.js';

/** Name syntaxes sspkit imports. */
export type NameType = 'hostbased' | 'user' | 'principal' | 'export';

/** gss_import_name: a new owned name handle. */
export function importName(text: string, type: NameType): NativeHandle {
  const lib = gssLibrary();
  const oid = {
    hostbased: lib.oids.ntHostbasedService,
    user: lib.oids.ntUserName,
    principal: lib.oids.ntKrb5Principal,
    export: lib.oids.ntExportName,
  }[type];
  const minor = Buffer.alloc(4);
  const input = Buffer.alloc(lib.layout.bufferDesc.size);
  const data = Buffer.from(text, 'utf8');
  fillBufferDesc(lib, input, 0, data);
  const out = Buffer.alloc(8);
  const major = lib.gss.gss_import_name(minor, input, oid, out);
  check(lib, 'gss_import_name', major, minor);
  return new NativeHandle('name', readPtr(out));
}

/** gss_display_name: the printable form of a name and its name-type OID bytes. */
export function displayName(name: bigint): { readonly text: string; readonly type: Buffer } {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const desc = Buffer.alloc(lib.layout.bufferDesc.size);
  const typeOut = Buffer.alloc(8);
  const major = lib.gss.gss_display_name(minor, name, desc, typeOut);
  check(lib, 'gss_display_name', major, minor);
  const text = takeBufferDesc(lib, minor, desc).toString('utf8');
  // The returned OID is static library storage: it is read, never freed.
  return { text, type: oidBytes(lib, readPtr(typeOut)) };
}

/** gss_localname: the local account a name maps to, or null when no mapping exists. */
export function localName(name: bigint, mech: bigint | null): string | null {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const desc = Buffer.alloc(lib.layout.bufferDesc.size);
  const major = lib.gss.gss_localname(minor, name, mech, desc);
  if (isGssError(major)) return null;
  return takeBufferDesc(lib, minor, desc).toString('utf8');
}

/**
 * {@link localName} on a worker thread: for systems whose user database or localauth plugin may
 * wait on a directory server (nss.ts decides). The name stays pinned while the call runs.
 */
export async function localNameAsync(name: NativeHandle): Promise<string | null> {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const desc = Buffer.alloc(lib.layout.bufferDesc.size);
  name.pin();
  let major: number;
  try {
    major = await sharedGate().run((done) => lib.gssAsync.gss_localname(minor, name.ptr, null, desc, done));
  } finally {
    name.unpin();
  }
  if (isGssError(major)) return null;
  return takeBufferDesc(lib, minor, desc).toString('utf8');
}
