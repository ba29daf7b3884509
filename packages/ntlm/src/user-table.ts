import {
  NegotiationState,
  SecBufferFlag,
  SecBufferType,
  SecPkgAttr,
  SecQop,
  SecStatus,
  concat,
  findBuffer,
  findBuffers,
  writeBuffer,
} from '@sspkit/core';
import type { SecBuffer, SecBufferDesc, SecpkgUserFunctionTable, SecurityStatus } from '@sspkit/core';
import type { NtlmSession } from './context.js';
import { because } from './failure.js';
import { SIGNATURE_SIZE } from './crypto/protect.js';
import { hasFlag, NegotiateFlag } from './messages/flags.js';
import { contextAttributes, NTLM_INFO } from './package-state.js';
import type { CtxEntry, NtlmPackageState } from './package-state.js';

const SIZES = {
  maxToken: NTLM_INFO.maxToken,
  maxSignature: SIGNATURE_SIZE,
  blockSize: 0,
  securityTrailer: SIGNATURE_SIZE,
} as const;

const sessionOf = (ctx: CtxEntry | undefined): NtlmSession | undefined =>
  ctx?.complete ? (ctx.client ?? ctx.server)?.session : undefined;

/** The message buffers NTLM protects: every DATA buffer, in order. */
const dataBuffers = (desc: SecBufferDesc): SecBuffer[] => findBuffers(desc, SecBufferType.DATA);

/** READONLY and READONLY_WITH_CHECKSUM buffers are signed but never encrypted. */
const isConfidential = (b: SecBuffer): boolean =>
  (b.flags & (SecBufferFlag.READONLY | SecBufferFlag.READONLY_WITH_CHECKSUM)) === 0;

/** Builds the user-mode function table of one NTLM package instance. */
export function userTable(state: NtlmPackageState): SecpkgUserFunctionTable {
  /** Records why a per-message call on `h` failed, and returns its status. */
  const fail = (h: number | bigint, status: SecurityStatus, reason: string): SecurityStatus => {
    const ctx = state.contexts.get(h);
    if (ctx) ctx.lastFailure = because(reason);
    return status;
  };
  const session = (h: number | bigint): NtlmSession | SecurityStatus => {
    const ctx = state.contexts.get(h);
    if (!ctx) return SecStatus.SEC_E_INVALID_HANDLE;
    ctx.lastFailure = undefined;
    const s = sessionOf(ctx);
    return s ?? fail(h, SecStatus.SEC_E_OUT_OF_SEQUENCE, 'the handshake has not completed on this context');
  };
  const noToken = (h: number | bigint): SecurityStatus =>
    fail(h, SecStatus.SEC_E_INVALID_TOKEN, 'no TOKEN buffer of at least 16 bytes (the signature)');
  /**
   * A refused inbound message has already run through the inbound RC4 handle and sequence number
   * (MS-NLMP §3.4.3: one keystream per direction for the whole session, no way to rewind), so the
   * direction is marked unusable rather than failing every later genuine message as altered.
   */
  const altered = (h: number | bigint): SecurityStatus => {
    const ctx = state.contexts.get(h);
    if (ctx) ctx.inboundDesynchronised = true;
    return fail(
      h,
      SecStatus.SEC_E_MESSAGE_ALTERED,
      'the signature does not match: the message was altered, replayed, reordered or is from another context; ' +
        'the inbound sealing state has moved past it, so this context cannot check further inbound messages',
    );
  };
  /** Verify / unseal on a context whose inbound state a refused message desynchronised. */
  const inbound = (h: number | bigint): NtlmSession | SecurityStatus => {
    const s = session(h);
    if (typeof s === 'number' || state.contexts.get(h)?.inboundDesynchronised !== true) return s;
    return fail(
      h,
      SecStatus.SEC_E_CONTEXT_EXPIRED,
      'the inbound sealing state is desynchronised: an earlier message was refused after the RC4 keystream and ' +
        'sequence number had moved on (MS-NLMP §3.4); delete this context and authenticate again',
    );
  };
  const qopRefused = (h: number | bigint): SecurityStatus =>
    fail(h, SecStatus.SEC_E_QOP_NOT_SUPPORTED, 'unsupported quality of protection');
  /**
   * A received signature is an NTLMSSP_MESSAGE_SIGNATURE, exactly 16 bytes ([MS-NLMP] §2.2.2.9): a
   * TOKEN buffer of another size is malformed, refused before the inbound RC4 state moves (so the
   * context stays usable), as Samba's ntlmssp_check_packet does; bytes past the signature are not
   * ignored.
   */
  const receivedToken = (h: number | bigint, desc: SecBufferDesc): Uint8Array | SecurityStatus => {
    const token = findBuffer(desc, SecBufferType.TOKEN);
    if (!token || token.data.length < SIGNATURE_SIZE) return noToken(h);
    if (token.data.length > SIGNATURE_SIZE)
      return fail(
        h,
        SecStatus.SEC_E_INVALID_TOKEN,
        `the TOKEN buffer holds ${token.data.length} bytes; an NTLM signature is exactly ${SIGNATURE_SIZE}`,
      );
    return token.data;
  };
  const tooSmall = (h: number | bigint): SecurityStatus =>
    fail(h, SecStatus.SEC_E_BUFFER_TOO_SMALL, 'the TOKEN buffer is smaller than the 16-byte signature');

  return {
    instanceInit: () => SecStatus.SEC_E_OK,

    makeSignature(h, qop, desc) {
      const s = session(h);
      if (typeof s === 'number') return s;
      if (qop !== 0) return qopRefused(h);
      const token = findBuffer(desc, SecBufferType.TOKEN);
      if (!token) return noToken(h);
      // Refuse before signing: signing consumes a sequence number and RC4 keystream.
      if (token.data.length < SIGNATURE_SIZE) return tooSmall(h);
      const sig = s.protector.sign(concat(...dataBuffers(desc).map((b) => b.data)));
      return writeBuffer(token, sig, false);
    },

    verifySignature(h, desc, _seq, qopOut) {
      const s = inbound(h);
      if (typeof s === 'number') return s;
      const token = receivedToken(h, desc);
      if (typeof token === 'number') return token;
      const ok = s.protector.verify(concat(...dataBuffers(desc).map((b) => b.data)), token);
      if (qopOut) qopOut.value = 0;
      return ok ? SecStatus.SEC_E_OK : altered(h);
    },

    sealMessage(h, qop, desc) {
      const s = session(h);
      if (typeof s === 'number') return s;
      const signOnly = qop === SecQop.WRAP_NO_ENCRYPT;
      if (qop !== 0 && !signOnly) return qopRefused(h);
      if (!signOnly && !hasFlag(s.flags, NegotiateFlag.SEAL)) {
        const why = 'confidentiality (NTLMSSP_NEGOTIATE_SEAL) was not negotiated';
        return fail(h, SecStatus.SEC_E_UNSUPPORTED_FUNCTION, why);
      }
      const token = findBuffer(desc, SecBufferType.TOKEN);
      if (!token) return noToken(h);
      if (token.data.length < SIGNATURE_SIZE) return tooSmall(h);
      const signature = s.protector.sealInPlace(
        dataBuffers(desc).map((b) => ({ data: b.data, confidential: !signOnly && isConfidential(b) })),
      );
      return writeBuffer(token, signature, false);
    },

    unsealMessage(h, desc, _seq, qopOut) {
      const s = inbound(h);
      if (typeof s === 'number') return s;
      const token = receivedToken(h, desc);
      if (typeof token === 'number') return token;
      const ok = s.protector.unsealInPlace(
        dataBuffers(desc).map((b) => ({ data: b.data, confidential: isConfidential(b) })),
        token,
      );
      if (!ok) return altered(h);
      if (qopOut) qopOut.value = 0;
      return SecStatus.SEC_E_OK;
    },

    getContextToken(h) {
      const ctx = state.contexts.get(h);
      if (!ctx) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      const s = sessionOf(ctx);
      if (ctx.side !== 'server' || !s) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      const { user, domain, workstation } = s.names;
      return {
        status: SecStatus.SEC_E_OK,
        token: {
          authenticationPackage: 'NTLM',
          user,
          ...(domain ? { domain } : {}),
          groups: [],
          attributes: { workstation },
        },
      };
    },

    queryContextAttributes(h, attribute) {
      const ctx = state.contexts.get(h);
      if (!ctx) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      const ok = (buffer: unknown) => ({ status: SecStatus.SEC_E_OK, buffer });
      if (attribute === SecPkgAttr.SIZES) return ok(SIZES);
      if (attribute === SecPkgAttr.PACKAGE_INFO) return ok({ packageInfo: NTLM_INFO });
      if (attribute === SecPkgAttr.NEGOTIATION_INFO) {
        return ok({
          packageInfo: NTLM_INFO,
          negotiationState: ctx.complete ? NegotiationState.COMPLETE : NegotiationState.IN_PROGRESS,
        });
      }
      const s = sessionOf(ctx);
      if (!s) return { status: SecStatus.SEC_E_OUT_OF_SEQUENCE };
      const { user, domain } = s.names;
      switch (attribute) {
        case SecPkgAttr.NAMES:
          return ok({ userName: domain ? `${domain}\\${user}` : user });
        case SecPkgAttr.SESSION_KEY:
          return ok({ sessionKey: s.sessionKey() });
        case SecPkgAttr.FLAGS:
          return ok({ flags: contextAttributes(ctx.side, s.flags, false) });
        case SecPkgAttr.NATIVE_NAMES:
          return ok({ clientName: domain ? `${domain}\\${user}` : user, serverName: ctx.targetName ?? '' });
        default:
          return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      }
    },

    failureCause: (h) => state.contexts.get(h)?.lastFailure,

    deleteUserModeContext: (h) => (state.contexts.has(h) ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_HANDLE),

    resetCipherState(h, direction) {
      const s = session(h);
      if (typeof s === 'number') return s;
      s.protector.resetKeystream(direction);
      return SecStatus.SEC_E_OK;
    },
  };
}
