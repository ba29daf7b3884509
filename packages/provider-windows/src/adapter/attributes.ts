/**
 * QueryContextAttributesW for the attributes whose structures sspkit models (sspi.h): each is read
 * from the buffer secur32 filled, and every pointer it returned inside (names, package info, the
 * session key) released with FreeContextBuffer. Other attributes: SEC_E_UNSUPPORTED_FUNCTION, as
 * from a package that does not know them.
 */
import { SecPkgAttr, SecStatus, contextAttribute, isSuccess } from '@sspkit/core';
import type { SecPkgInfo } from '@sspkit/core';
import type { NativeBlock, NativeMemory, NativePointer } from '../marshal/memory.js';
import { inline } from './call.js';
import { contextToken } from './token.js';
import type { HandleTables, Native } from './state.js';

type Answer = { status: number; buffer?: unknown };

function dv(b: NativeBlock): DataView {
  return new DataView(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
}

/** Reads the wide string a pointer field points at, and releases it. */
function takeWide(memory: NativeMemory, block: NativeBlock, offset: number): string {
  const p = memory.pointerAt(block, offset);
  if (p === null) return '';
  const s = memory.readWide(p);
  memory.freeContextBuffer(p);
  return s;
}

function readPkgInfo(memory: NativeMemory, p: NativePointer): SecPkgInfo {
  const bytes = memory.read(p, 32);
  const v = new DataView(bytes.buffer);
  const wide = (at: number): string => {
    const a = v.getBigUint64(at, true);
    return a === 0n ? '' : memory.readWide({ address: a });
  };
  return {
    capabilities: v.getUint32(0, true),
    version: v.getUint16(4, true),
    rpcId: v.getUint16(6, true),
    maxToken: v.getUint32(8, true),
    name: wide(16),
    comment: wide(24),
  };
}

function decode(memory: NativeMemory, attr: number, b: NativeBlock): Answer {
  const v = dv(b);
  const u = (i: number): number => v.getUint32(i * 4, true);
  switch (attr) {
    case SecPkgAttr.SIZES:
      return contextAttribute(SecPkgAttr.SIZES, {
        maxToken: u(0),
        maxSignature: u(1),
        blockSize: u(2),
        securityTrailer: u(3),
      });
    case SecPkgAttr.STREAM_SIZES:
      return contextAttribute(SecPkgAttr.STREAM_SIZES, {
        header: u(0),
        trailer: u(1),
        maximumMessage: u(2),
        buffers: u(3),
        blockSize: u(4),
      });
    case SecPkgAttr.LIFESPAN:
      return contextAttribute(SecPkgAttr.LIFESPAN, { start: v.getBigInt64(0, true), expiry: v.getBigInt64(8, true) });
    case SecPkgAttr.FLAGS:
      return contextAttribute(SecPkgAttr.FLAGS, { flags: u(0) });
    case SecPkgAttr.NAMES:
      return contextAttribute(SecPkgAttr.NAMES, { userName: takeWide(memory, b, 0) });
    case SecPkgAttr.AUTHORITY:
      return contextAttribute(SecPkgAttr.AUTHORITY, { authorityName: takeWide(memory, b, 0) });
    case SecPkgAttr.NATIVE_NAMES:
      return contextAttribute(SecPkgAttr.NATIVE_NAMES, {
        clientName: takeWide(memory, b, 0),
        serverName: takeWide(memory, b, 8),
      });
    case SecPkgAttr.PACKAGE_INFO: {
      const p = memory.pointerAt(b, 0);
      if (p === null) return { status: SecStatus.SEC_E_INTERNAL_ERROR };
      const packageInfo = readPkgInfo(memory, p);
      memory.freeContextBuffer(p);
      return contextAttribute(SecPkgAttr.PACKAGE_INFO, { packageInfo });
    }
    case SecPkgAttr.SESSION_KEY: {
      // SecPkgContext_SessionKey: ULONG SessionKeyLength; unsigned char *SessionKey.
      const p = memory.pointerAt(b, 8);
      const sessionKey = p === null ? new Uint8Array(0) : memory.read(p, u(0));
      if (p !== null) memory.freeContextBuffer(p);
      return contextAttribute(SecPkgAttr.SESSION_KEY, { sessionKey });
    }
    default:
      return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
  }
}

const MODELLED: ReadonlySet<number> = new Set([
  SecPkgAttr.SIZES,
  SecPkgAttr.STREAM_SIZES,
  SecPkgAttr.LIFESPAN,
  SecPkgAttr.FLAGS,
  SecPkgAttr.NAMES,
  SecPkgAttr.AUTHORITY,
  SecPkgAttr.NATIVE_NAMES,
  SecPkgAttr.PACKAGE_INFO,
  SecPkgAttr.SESSION_KEY,
]);

/** QueryContextAttributesW(attr), decoded; ACCESS_TOKEN answers with the token's contents. */
export function queryAttribute(native: Native, tables: HandleTables, pkg: string, h: number, attr: number): Answer {
  const entry = tables.contexts.get(h);
  if (!entry) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  if (attr === SecPkgAttr.ACCESS_TOKEN) {
    const t = contextToken(native, tables, pkg, h);
    return t.token ? contextAttribute(SecPkgAttr.ACCESS_TOKEN, { accessToken: t.token }) : { status: t.status };
  }
  if (!MODELLED.has(attr)) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
  const { memory } = native;
  const b = memory.alloc(64); // larger than every structure above
  try {
    const s = inline(native.secur32.QueryContextAttributesW, 'query', entry.handle.address, attr, b.address);
    if (!isSuccess(s.status)) return { status: s.status };
    return decode(memory, attr, b);
  } finally {
    b.bytes.fill(0);
    memory.free(b);
  }
}
