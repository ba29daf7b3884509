/**
 * The user-mode function table of Digest (SECPKG_USER_FUNCTION_TABLE): CompleteAuthToken, the
 * per-message calls, context queries and the context token. HTTP mode uses MakeSignature to answer
 * later requests (as the Windows Digest SSP does); SASL mode maps the RFC 2831 security layers onto
 * Make/VerifySignature and Encrypt/DecryptMessage.
 */
import { Buffer } from 'node:buffer';
import {
  SecBufferType,
  SecPkgAttr,
  SecQop,
  SecStatus,
  TIMESTAMP_FOREVER,
  findBuffer,
  isChecksummed,
  isReadOnly,
  isSuccess,
  writeBuffer,
} from '@sspkit/core';
import type { AccessToken, SecBuffer, SecBufferDesc, SecpkgUserFunctionTable } from '@sspkit/core';
import { clientAttributes, serverAttributes } from './context.js';
import type { DigestContextRecord } from './context.js';
import { httpClientInput, httpServerInput, httpSignatureInput } from './layout.js';
import { DIGEST_MAX_TOKEN, DIGEST_PACKAGE_INFO, DIGEST_PACKAGE_NAME } from './package-info.js';
import { cipherBlockSize } from './sasl/ciphers.js';
import type { SaslSecurityLayer } from './sasl/security-layer.js';
import { TRAILER_LENGTH } from './sasl/security-layer.js';
import { wireToUnicode } from './bytes.js';
import { causeOf } from './cause.js';
import { DigestErrorCode } from './errors.js';
import type { DigestError } from './errors.js';
import { statusForCode } from './status-map.js';
import { emit, errorStatus } from './state.js';
import type { DigestState } from './state.js';

function handleOf(h: number | bigint): number {
  return typeof h === 'bigint' ? Number(h) : h;
}

function layerOf(rec: DigestContextRecord): SaslSecurityLayer | undefined {
  return rec.kind === 'sasl-client' || rec.kind === 'sasl-server' ? rec.ctx.layer : undefined;
}

/** Status of a per-message call on a SASL context without a layer: too early, or qop=auth. */
function noLayerStatus(rec: DigestContextRecord): number {
  return rec.kind === 'sasl-client' || rec.kind === 'sasl-server'
    ? rec.established
      ? SecStatus.SEC_E_QOP_NOT_SUPPORTED
      : SecStatus.SEC_E_OUT_OF_SEQUENCE
    : SecStatus.SEC_E_UNSUPPORTED_FUNCTION;
}

function noLayerWhy(rec: DigestContextRecord): string {
  if (rec.kind !== 'sasl-client' && rec.kind !== 'sasl-server') return 'HTTP Digest has no message protection';
  return rec.established ? 'the context negotiated qop=auth: no security layer' : 'the handshake is not finished';
}

/** The bytes a signature covers: every DATA buffer except SECBUFFER_READONLY ones, in order. */
function signedData(desc: SecBufferDesc): Uint8Array | undefined {
  const parts = desc.buffers.filter((b) => b.type === SecBufferType.DATA && isChecksummed(b)).map((b) => b.data);
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** The DATA buffers EncryptMessage/DecryptMessage work on: every one that may be written, in order. */
function writableDatas(desc: SecBufferDesc): SecBuffer[] {
  return desc.buffers.filter((b) => b.type === SecBufferType.DATA && !isReadOnly(b));
}

/**
 * Several DATA buffers whose lengths add up to the plaintext get it back in place, in order (the
 * sender's layout); TOKEN and PADDING are emptied. False when the layout does not fit (one buffer,
 * or other lengths): the caller places the plaintext as for one buffer.
 */
function splitInto(datas: readonly SecBuffer[], plain: Uint8Array, desc: SecBufferDesc): boolean {
  if (datas.length < 2 || datas.reduce((n, d) => n + d.data.length, 0) !== plain.length) return false;
  let offset = 0;
  for (const d of datas) {
    d.data.set(plain.subarray(offset, offset + d.data.length));
    offset += d.data.length;
  }
  for (const b of desc.buffers) {
    if ((b.type === SecBufferType.TOKEN || b.type === SecBufferType.PADDING) && !isReadOnly(b))
      b.data = b.data.subarray(0, 0);
  }
  return true;
}

/** The trailer buffer of EncryptMessage: TOKEN if given (SSPI custom), else PADDING (Digest docs). */
function trailerBuffer(desc: SecBufferDesc): SecBuffer | undefined {
  return findBuffer(desc, SecBufferType.TOKEN) ?? findBuffer(desc, SecBufferType.PADDING);
}

/** Builds the user table over one module state. */
export function createUserTable(state: DigestState): SecpkgUserFunctionTable {
  const get = (h: number | bigint): DigestContextRecord | undefined => state.contexts.get(handleOf(h));
  // Per-message failures leave their cause on the context (failureCause); a success clears it.
  const fault = (rec: DigestContextRecord, status: number, why: string | DigestError): number => {
    rec.lastFailure = causeOf(why);
    return status;
  };
  const track = (rec: DigestContextRecord | undefined, status: number, call: string): number => {
    if (rec === undefined) return status;
    if (isSuccess(status)) rec.lastFailure = undefined;
    else rec.lastFailure ??= causeOf(`${call} failed`);
    return status;
  };

  function sizes(rec: DigestContextRecord): {
    maxToken: number;
    maxSignature: number;
    blockSize: number;
    securityTrailer: number;
  } {
    if (rec.kind === 'http-client' || rec.kind === 'http-server')
      return { maxToken: DIGEST_MAX_TOKEN, maxSignature: DIGEST_MAX_TOKEN, blockSize: 0, securityTrailer: 0 };
    const cipher = rec.ctx.negotiated.cipher;
    const block = cipher !== undefined ? cipherBlockSize(cipher) : 1;
    return {
      maxToken: DIGEST_MAX_TOKEN,
      maxSignature: TRAILER_LENGTH,
      blockSize: block,
      securityTrailer: TRAILER_LENGTH + (block > 1 ? block : 0),
    };
  }

  function identity(
    rec: DigestContextRecord,
  ): { user: string; realm: string; groups: readonly string[]; authzid?: string } | undefined {
    if (rec.kind === 'http-server' || rec.kind === 'sasl-server') {
      const id = rec.ctx.identity;
      return id === undefined
        ? undefined
        : {
            user: id.username,
            realm: id.realm,
            groups: id.groups,
            ...(id.authzid !== undefined ? { authzid: id.authzid } : {}),
          };
    }
    // The client context holds the challenge's realm in wire form (UTF-8 octets).
    const realm = rec.kind === 'http-client' ? wireToUnicode(rec.ctx.realm ?? '') : '';
    return { user: rec.username, realm, groups: [] };
  }

  const table: SecpkgUserFunctionTable = {
    instanceInit: () => SecStatus.SEC_E_OK,
    deleteUserModeContext: () => SecStatus.SEC_E_OK,

    async completeAuthToken(h, desc) {
      const rec = get(h);
      if (rec === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
      const token = findBuffer(desc, SecBufferType.TOKEN);
      if (rec.kind === 'http-server') {
        const r = await rec.ctx.complete(httpServerInput(desc));
        if (!r.ok) return fault(rec, errorStatus(r.error), r.error);
        // Authentication-Info (or a stale challenge) goes into a TOKEN buffer the caller sized for it;
        // an empty or too small buffer is left empty (the handshake itself is over either way).
        if (token !== undefined && !isReadOnly(token)) {
          if (emit(token, r.value.token, false) !== SecStatus.SEC_E_OK) token.data = token.data.subarray(0, 0);
        }
        // A stale nonce: the verdict goes out as a status, the stale challenge in the TOKEN buffer.
        if (r.value.next === 'continue')
          return fault(
            rec,
            statusForCode(DigestErrorCode.StaleNonce),
            'the nonce is stale (or the nonce-count store had no room): a stale=true challenge was issued',
          );
        return SecStatus.SEC_E_OK;
      }
      if (rec.kind === 'http-client') {
        const r = rec.ctx.complete(httpClientInput(desc));
        if (!r.ok) return fault(rec, errorStatus(r.error), r.error);
        return emit(token, r.value, 'if-empty');
      }
      // SASL messages are complete when the handshake produces them.
      return SecStatus.SEC_E_OK;
    },

    makeSignature(h, _qop, desc) {
      const rec = get(h);
      if (rec === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
      if (rec.kind === 'http-client') {
        const p = httpSignatureInput(desc);
        const r = rec.ctx.nextRequest(
          p.method ?? 'GET',
          p.uri ?? rec.target,
          p.body !== undefined ? { body: p.body } : {},
        );
        if (!r.ok) return fault(rec, errorStatus(r.error), r.error);
        return emit(p.output, r.value, 'if-empty');
      }
      if (rec.kind === 'http-server')
        return fault(rec, SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'an HTTP server context signs nothing');
      const layer = layerOf(rec);
      if (layer === undefined) return fault(rec, noLayerStatus(rec), noLayerWhy(rec));
      const token = findBuffer(desc, SecBufferType.TOKEN);
      if (token === undefined || isReadOnly(token) || signedData(desc) === undefined)
        return fault(
          rec,
          SecStatus.SEC_E_INVALID_TOKEN,
          'MakeSignature needs a DATA buffer and a writable TOKEN buffer',
        );
      // Refuse before signing, so a refused call does not use up a sequence number.
      if (token.data.length < TRAILER_LENGTH)
        return fault(
          rec,
          SecStatus.SEC_E_BUFFER_TOO_SMALL,
          `the TOKEN buffer is shorter than ${TRAILER_LENGTH} octets`,
        );
      return writeBuffer(token, layer.sign(signedData(desc) ?? new Uint8Array(0)), false);
    },

    verifySignature(h, desc, _seq, qop) {
      const rec = get(h);
      if (rec === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
      if (rec.kind === 'http-client' || rec.kind === 'http-server')
        return fault(rec, SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'HTTP Digest has no message protection');
      const layer = layerOf(rec);
      if (layer === undefined) return fault(rec, noLayerStatus(rec), noLayerWhy(rec));
      const data = signedData(desc);
      const token = findBuffer(desc, SecBufferType.TOKEN);
      if (data === undefined || token === undefined)
        return fault(rec, SecStatus.SEC_E_INVALID_TOKEN, 'VerifySignature needs a DATA and a TOKEN buffer');
      const r = layer.verify(data, token.data);
      if (qop !== undefined) qop.value = 0;
      return r.ok ? SecStatus.SEC_E_OK : fault(rec, errorStatus(r.error), r.error);
    },

    sealMessage(h, qop, desc) {
      const rec = get(h);
      if (rec === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
      if (rec.kind === 'http-client' || rec.kind === 'http-server')
        return fault(rec, SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'HTTP Digest has no message protection');
      const layer = layerOf(rec);
      if (layer === undefined) return fault(rec, noLayerStatus(rec), noLayerWhy(rec));
      // Every writable DATA buffer is part of the message (EncryptMessage seals them all in place);
      // RFC 2831's wrap covers one octet string, so the buffers are sealed as their concatenation.
      const datas = writableDatas(desc);
      const trailer = trailerBuffer(desc);
      if (datas.length === 0 || trailer === undefined || isReadOnly(trailer)) return SecStatus.SEC_E_INVALID_TOKEN;
      const message =
        datas.length === 1 ? (datas[0]?.data ?? new Uint8Array(0)) : Buffer.concat(datas.map((d) => d.data));
      if (!layer.confidential || qop === SecQop.WRAP_NO_ENCRYPT) {
        if (qop !== SecQop.WRAP_NO_ENCRYPT)
          return fault(
            rec,
            SecStatus.SEC_E_QOP_NOT_SUPPORTED,
            'no auth-conf layer: only SECQOP_WRAP_NO_ENCRYPT is possible',
          );
        if (trailer.data.length < TRAILER_LENGTH) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
        return writeBuffer(trailer, layer.sign(message), false);
      }
      if (trailer.data.length < sizes(rec).securityTrailer) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
      const sealed = layer.seal(message);
      // Ciphertext covering the message replaces the DATA buffers in place, in order; pad, MAC and
      // framing go to the trailer.
      let offset = 0;
      for (const d of datas) {
        d.data.set(sealed.subarray(offset, offset + d.data.length));
        offset += d.data.length;
      }
      const st = writeBuffer(trailer, sealed.subarray(offset), false);
      for (const b of desc.buffers)
        if (b !== trailer && (b.type === SecBufferType.PADDING || b.type === SecBufferType.TOKEN) && !isReadOnly(b))
          b.data = b.data.subarray(0, 0);
      return st;
    },

    unsealMessage(h, desc, _seq, qop) {
      const rec = get(h);
      if (rec === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
      if (rec.kind === 'http-client' || rec.kind === 'http-server')
        return fault(rec, SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'HTTP Digest has no message protection');
      const layer = layerOf(rec);
      if (layer === undefined) return fault(rec, noLayerStatus(rec), noLayerWhy(rec));
      const stream = findBuffer(desc, SecBufferType.STREAM);
      const datas = writableDatas(desc);
      const data = datas[0];
      const parts =
        stream !== undefined
          ? [stream.data]
          : [
              ...datas.map((d) => d.data),
              findBuffer(desc, SecBufferType.TOKEN)?.data,
              findBuffer(desc, SecBufferType.PADDING)?.data,
            ].filter((x): x is Uint8Array => x !== undefined);
      const whole = Buffer.concat(parts);
      if (!layer.confidential) {
        if (whole.length < TRAILER_LENGTH)
          return fault(rec, SecStatus.SEC_E_INCOMPLETE_MESSAGE, 'the message is shorter than its 16-octet trailer');
        const body = whole.subarray(0, whole.length - TRAILER_LENGTH);
        const r = layer.verify(body, whole.subarray(whole.length - TRAILER_LENGTH));
        if (!r.ok) return fault(rec, errorStatus(r.error), r.error);
        if (qop !== undefined) qop.value = SecQop.WRAP_NO_ENCRYPT;
        return stream === undefined && splitInto(datas, body, desc)
          ? SecStatus.SEC_E_OK
          : placePlaintext(desc, data, stream, body);
      }
      const r = layer.unseal(whole);
      if (!r.ok) return fault(rec, errorStatus(r.error), r.error);
      if (qop !== undefined) qop.value = 0;
      if (stream === undefined && splitInto(datas, r.value, desc)) return SecStatus.SEC_E_OK;
      return placePlaintext(desc, data, stream, r.value);
    },

    getContextToken(h) {
      const rec = get(h);
      if (rec === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      if (rec.kind !== 'http-server' && rec.kind !== 'sasl-server') return { status: SecStatus.SEC_E_NO_IMPERSONATION };
      const id = identity(rec);
      if (id === undefined) return { status: SecStatus.SEC_E_NO_IMPERSONATION };
      const token: AccessToken = {
        authenticationPackage: DIGEST_PACKAGE_NAME,
        user: id.user,
        domain: id.realm,
        groups: [...id.groups],
        attributes: {
          mode: rec.kind === 'http-server' ? 'http' : 'sasl',
          ...(rec.kind === 'http-server' && rec.ctx.algorithm !== undefined
            ? { algorithm: rec.ctx.algorithm.name }
            : {}),
          ...(rec.kind === 'sasl-server' && rec.ctx.negotiated.qop !== undefined
            ? { qop: rec.ctx.negotiated.qop }
            : {}),
          ...(id.authzid !== undefined ? { authzid: id.authzid } : {}),
        },
      };
      return { status: SecStatus.SEC_E_OK, token };
    },

    queryContextAttributes(h, attribute) {
      const rec = get(h);
      if (rec === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      const ok = (buffer: unknown) => ({ status: SecStatus.SEC_E_OK, buffer });
      switch (attribute) {
        case SecPkgAttr.SIZES:
          return ok(sizes(rec));
        case SecPkgAttr.STREAM_SIZES: {
          const s = sizes(rec);
          return ok({
            header: 0,
            trailer: s.securityTrailer,
            maximumMessage: 65536,
            buffers: 3,
            blockSize: s.blockSize,
          });
        }
        case SecPkgAttr.NAMES: {
          const id = identity(rec);
          return id === undefined
            ? { status: SecStatus.SEC_E_NO_CONTEXT }
            : ok({ userName: id.realm !== '' ? `${id.realm}\\${id.user}` : id.user });
        }
        case SecPkgAttr.NATIVE_NAMES: {
          const id = identity(rec);
          const server = rec.kind === 'http-client' || rec.kind === 'sasl-client' ? rec.target : (id?.realm ?? '');
          return id === undefined
            ? { status: SecStatus.SEC_E_NO_CONTEXT }
            : ok({ clientName: id.user, serverName: server });
        }
        case SecPkgAttr.LIFESPAN:
          // Reference §7: Digest contexts never expire.
          return ok({ start: 0n, expiry: TIMESTAMP_FOREVER });
        case SecPkgAttr.FLAGS:
          return ok({
            flags:
              rec.kind === 'http-client' || rec.kind === 'sasl-client'
                ? clientAttributes(rec)
                : serverAttributes(rec, false),
          });
        case SecPkgAttr.SESSION_KEY: {
          // SASL: binary H(A1), from which both sides derive the layer keys (RFC 2831 §2.3/§2.4).
          const key = rec.kind === 'sasl-client' || rec.kind === 'sasl-server' ? rec.ctx.sessionKey : undefined;
          return key === undefined
            ? { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION }
            : ok({ sessionKey: Uint8Array.from(key) });
        }
        case SecPkgAttr.PACKAGE_INFO:
          return ok({ packageInfo: DIGEST_PACKAGE_INFO });
        case SecPkgAttr.KEY_INFO: {
          if (rec.kind === 'http-client' || rec.kind === 'http-server')
            return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
          const cipher = rec.ctx.negotiated.cipher;
          return ok({
            signatureAlgorithmName: 'HMAC-MD5',
            encryptAlgorithmName: cipher ?? '',
            keySize:
              cipher === 'rc4-40' ? 40 : cipher === 'rc4-56' || cipher === 'des' ? 56 : cipher === '3des' ? 112 : 128,
            signatureAlgorithm: 0,
            encryptAlgorithm: 0,
          });
        }
        case SecPkgAttr.ACCESS_TOKEN: {
          const t = this.getContextToken?.(h);
          return t?.token !== undefined
            ? ok({ accessToken: t.token })
            : { status: t?.status ?? SecStatus.SEC_E_NO_IMPERSONATION };
        }
        default:
          return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      }
    },
  };
  const { completeAuthToken, makeSignature, verifySignature, sealMessage, unsealMessage } = table;
  if (!completeAuthToken || !makeSignature || !verifySignature || !sealMessage || !unsealMessage)
    throw new Error('unreachable');
  // Every per-message entry leaves its cause (or clears the last one); failureCause reads it back.
  return {
    ...table,
    completeAuthToken: async (h, desc) => track(get(h), await completeAuthToken(h, desc), 'CompleteAuthToken'),
    makeSignature: (h, qop, desc, seq) => track(get(h), makeSignature(h, qop, desc, seq), 'MakeSignature'),
    verifySignature: (h, desc, seq, qop) => track(get(h), verifySignature(h, desc, seq, qop), 'VerifySignature'),
    sealMessage: (h, qop, desc, seq) => track(get(h), sealMessage(h, qop, desc, seq), 'EncryptMessage'),
    unsealMessage: (h, desc, seq, qop) => track(get(h), unsealMessage(h, desc, seq, qop), 'DecryptMessage'),
    failureCause: (h) => get(h)?.lastFailure,
  };
}

function placePlaintext(
  desc: SecBufferDesc,
  data: SecBuffer | undefined,
  stream: SecBuffer | undefined,
  plain: Uint8Array,
): number {
  if (stream !== undefined) {
    if (data === undefined) {
      desc.buffers.push({ type: SecBufferType.DATA, flags: 0, data: Uint8Array.from(plain) });
      return SecStatus.SEC_E_OK;
    }
    data.data = Uint8Array.from(plain);
    return SecStatus.SEC_E_OK;
  }
  if (data === undefined) return SecStatus.SEC_E_INVALID_TOKEN;
  if (data.data.length >= plain.length) {
    data.data.set(plain);
    data.data = data.data.subarray(0, plain.length);
  } else {
    data.data = Uint8Array.from(plain);
  }
  for (const b of desc.buffers)
    if (b !== data && (b.type === SecBufferType.TOKEN || b.type === SecBufferType.PADDING) && !isReadOnly(b))
      b.data = b.data.subarray(0, 0);
  return SecStatus.SEC_E_OK;
}
