import { wipe } from '@sspkit/core';
import type { KeyStrength } from './crypto/keys.js';
import { MessageProtector } from './crypto/protect.js';
import { hasFlag, NegotiateFlag } from './messages/flags.js';

/**
 * The statuses the NTLM state machines produce; the function-table adapter maps each name to its
 * SECURITY_STATUS value. Kept as names so the protocol layer does not depend on the core package.
 */
export type NtlmStatus =
  | 'SEC_E_OK'
  | 'SEC_I_CONTINUE_NEEDED'
  | 'SEC_E_INVALID_TOKEN'
  | 'SEC_E_LOGON_DENIED'
  | 'SEC_E_BAD_BINDINGS'
  | 'SEC_E_WRONG_PRINCIPAL'
  | 'SEC_E_MESSAGE_ALTERED'
  | 'SEC_E_UNSUPPORTED_FUNCTION'
  | 'SEC_E_OUT_OF_SEQUENCE'
  | 'SEC_E_INTERNAL_ERROR';

/** What one handshake step yields: a status, maybe a token to send, and the session when done. */
export interface StepResult {
  readonly status: NtlmStatus;
  readonly token?: Uint8Array;
  /** Why the step failed, for logs; never contains secrets. */
  readonly reason?: string;
}

/** The names the acceptor learnt (or the initiator used). */
export interface SessionNames {
  readonly user: string;
  readonly domain: string;
  readonly workstation: string;
}

/** Injected randomness and clock, so handshakes are deterministic under test. */
export interface Environment {
  /** Unix time in milliseconds. */
  readonly now: () => number;
  readonly randomBytes: (n: number) => Uint8Array;
}

/** Key strength implied by the negotiated flags (MS-NLMP §3.4.5.3). */
const strengthOf = (flags: number): KeyStrength =>
  hasFlag(flags, NegotiateFlag.NEGOTIATE_128) ? 128 : hasFlag(flags, NegotiateFlag.NEGOTIATE_56) ? 56 : 40;

/**
 * An established NTLM security context: negotiated flags, names, the exported session key and the
 * per-direction message protection state. `wipe()` zeroes every key.
 */
export class NtlmSession {
  readonly flags: number;
  readonly names: SessionNames;
  readonly isClient: boolean;
  readonly #sessionKey: Uint8Array;
  readonly #protector: MessageProtector;

  constructor(isClient: boolean, flags: number, names: SessionNames, exportedSessionKey: Uint8Array) {
    this.isClient = isClient;
    this.flags = flags >>> 0;
    this.names = names;
    this.#sessionKey = exportedSessionKey;
    this.#protector = new MessageProtector({
      exportedSessionKey,
      isClient,
      extendedSessionSecurity: hasFlag(flags, NegotiateFlag.EXTENDED_SESSIONSECURITY),
      keyExchange: hasFlag(flags, NegotiateFlag.KEY_EXCH),
      strength: strengthOf(flags),
    });
  }

  /** The exported session key (SECPKG_ATTR_SESSION_KEY); a copy. */
  sessionKey(): Uint8Array {
    return new Uint8Array(this.#sessionKey);
  }

  /** Sign / seal state for MakeSignature, VerifySignature, EncryptMessage and DecryptMessage. */
  get protector(): MessageProtector {
    return this.#protector;
  }

  /** Zeroes the session key and the signing/sealing state. */
  wipe(): void {
    wipe(this.#sessionKey);
    this.#protector.wipe();
  }
}

/** Names in a message: UTF-16LE when NEGOTIATE_UNICODE was negotiated, else OEM (Latin-1 here). */
export function decodeName(bytes: Uint8Array, unicode: boolean): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(unicode ? 'utf16le' : 'latin1');
}

/** The inverse of {@link decodeName}. */
export function encodeName(s: string, unicode: boolean): Uint8Array {
  return new Uint8Array(Buffer.from(s, unicode ? 'utf16le' : 'latin1'));
}
