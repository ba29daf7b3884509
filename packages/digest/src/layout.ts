/**
 * Where the Digest package finds its inputs in a SecBufferDesc, following the Windows Digest SSP
 * (AcceptSecurityContext (Digest) buffer table; the ISC and MakeSignature layouts that curl's SSPI
 * backend uses). PKG_PARAMS buffers are positional; an absent buffer means "not known yet", an
 * empty one means "empty". A SECBUFFER_DATA buffer is an extension: the raw entity body.
 */
import { SecBufferType, findBuffer, findBuffers } from '@sspkit/core';
import type { SecBuffer, SecBufferDesc } from '@sspkit/core';
import { bytesToWire } from './bytes.js';

function text(buffer: SecBuffer | undefined): string | undefined {
  if (buffer === undefined || buffer.data.length === 0) return undefined;
  // Method, URI and HEntity are US-ASCII on the wire; a NUL-terminated C string is tolerated.
  const s = bytesToWire(buffer.data);
  return s.charCodeAt(s.length - 1) === 0 ? s.replace(/\0+$/, '') : s;
}

/** The token of a handshake call, as a byte string (undefined when absent or empty). */
export function inputToken(desc: SecBufferDesc | undefined): string | undefined {
  const t = findBuffer(desc, SecBufferType.TOKEN);
  return t !== undefined && t.data.length > 0 ? bytesToWire(t.data) : undefined;
}

/**
 * ISC (HTTP): [0] TOKEN challenge, [1] PKG_PARAMS method, [2] PKG_PARAMS entity body. A caller that
 * passes the token alone (a generic SSPI loop) is making a bodiless request; one that passes the method
 * but no body buffer has not built the body yet, so auth-int must wait for CompleteAuthToken.
 */
export function httpClientInput(desc: SecBufferDesc | undefined): { method?: string; body?: Uint8Array } {
  const params = findBuffers(desc, SecBufferType.PKG_PARAMS);
  const method = text(params[0]);
  const data = findBuffer(desc, SecBufferType.DATA)?.data;
  const body = data ?? params[1]?.data ?? (params.length === 0 ? new Uint8Array(0) : undefined);
  return { ...(method !== undefined ? { method } : {}), ...(body !== undefined ? { body } : {}) };
}

/**
 * ASC (HTTP), and CompleteAuthToken on the server: [0] TOKEN response, [1] PKG_PARAMS method,
 * [2] PKG_PARAMS request URI (Windows: reserved), [3] PKG_PARAMS HEntity (hex H(entity-body)),
 * [4] PKG_PARAMS realm; optional DATA = raw entity body.
 */
export function httpServerInput(desc: SecBufferDesc | undefined): {
  method?: string;
  uri?: string;
  bodyHash?: string;
  body?: Uint8Array;
  realm?: string;
} {
  const params = findBuffers(desc, SecBufferType.PKG_PARAMS);
  const method = text(params[0]);
  const uri = text(params[1]);
  const bodyHash = text(params[2]);
  const realm = text(params[3]);
  const body = findBuffer(desc, SecBufferType.DATA)?.data;
  // Assignments, not conditional spreads: this runs twice per HTTP request (ASC, CompleteAuthToken).
  const out: { method?: string; uri?: string; bodyHash?: string; body?: Uint8Array; realm?: string } = {};
  if (method !== undefined) out.method = method;
  if (uri !== undefined) out.uri = uri;
  if (bodyHash !== undefined) out.bodyHash = bodyHash;
  if (realm !== undefined) out.realm = realm;
  if (body !== undefined) out.body = body;
  return out;
}

/**
 * MakeSignature (HTTP, a later request): [0] TOKEN (unused), [1] PKG_PARAMS method, [2] PKG_PARAMS
 * URI, [3] PKG_PARAMS entity body, [4] PADDING receives the Authorization value (TOKEN if no PADDING).
 */
export function httpSignatureInput(desc: SecBufferDesc): {
  method?: string;
  uri?: string;
  body?: Uint8Array;
  output?: SecBuffer;
} {
  const params = findBuffers(desc, SecBufferType.PKG_PARAMS);
  const method = text(params[0]);
  const uri = text(params[1]);
  const body = findBuffer(desc, SecBufferType.DATA)?.data ?? params[2]?.data;
  const output = findBuffer(desc, SecBufferType.PADDING) ?? findBuffer(desc, SecBufferType.TOKEN);
  return {
    ...(method !== undefined ? { method } : {}),
    ...(uri !== undefined ? { uri } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(output !== undefined ? { output } : {}),
  };
}
