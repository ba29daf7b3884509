import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AscRet, IscRet, SecPkgFlag } from '@sspkit/core';
import type { LsaSecHandle, LsaSecpkgFunctionTable, SecPkgInfo } from '@sspkit/core';
import type { AccountStore } from './accounts.js';
import { readUserFile } from './user-file.js';
import type { NtlmClient } from './client.js';
import type { NtlmFailure } from './failure.js';
import type { Environment } from './context.js';
import { hasFlag, NegotiateFlag } from './messages/flags.js';
import type { NtlmServer, TargetNamePolicy } from './server.js';

/** Package-wide settings for {@link createNtlmModule}. */
export interface NtlmPackageConfig {
  /** Acceptor accounts. Default: the file named by NTLM_USER_FILE, read when inbound credentials are acquired. */
  readonly accounts?: AccountStore;
  /** NetBIOS domain / workgroup the acceptor advertises (default "WORKGROUP"). */
  readonly domain?: string;
  /** NetBIOS computer name the acceptor advertises (default "SSPKIT"). */
  readonly computer?: string;
  /** Opt in to NTLMv1: the initiator sends v1 responses and the acceptor accepts them. Off by default. */
  readonly ntlmV1?: boolean;
  /**
   * Let acceptor accounts with an empty password log on. Off by default (Windows' LimitBlankPasswordUse
   * refuses blank-password network logons).
   */
  readonly allowBlankPasswords?: boolean;
  /**
   * Let this instance's clients answer CHALLENGEs issued by NTLM acceptors of this process
   * (reflection). Off by default: a client refuses them with SEC_E_LOGON_DENIED. For in-process
   * client/server pairs only (demos, tests, conformance harnesses); never in a service that both
   * accepts NTLM and authenticates elsewhere with NTLM.
   */
  readonly allowReflection?: boolean;
  /** The acceptor's SPN check on MsvAvTargetName (default `{ mode: 'off' }`). */
  readonly targetNames?: TargetNamePolicy;
}

/** pAuthData NTLM understands besides SEC_WINNT_AUTH_IDENTITY: an NT hash, a workstation, or (inbound) an account store. */
export interface NtlmAuthData {
  readonly user?: string;
  readonly domain?: string;
  readonly password?: string;
  readonly ntHash?: Uint8Array;
  readonly workstation?: string;
  readonly accounts?: AccountStore;
  /**
   * Outbound: this credential may answer a CHALLENGE that a server context of this process issued
   * (reflection protection off for it alone, e.g. a test harness pairing client and server here).
   */
  readonly allowReflection?: boolean;
}

/** A credential handle's contents: outbound identity (password already hashed) and/or an account store. */
export interface CredEntry {
  readonly use: number;
  readonly identity?: {
    readonly user: string;
    readonly domain: string;
    readonly ntHash: Uint8Array;
    readonly workstation: string;
  };
  readonly accounts?: AccountStore;
  readonly allowReflection?: boolean;
}

/** A context handle's contents. */
export interface CtxEntry {
  readonly side: 'client' | 'server';
  readonly client?: NtlmClient;
  readonly server?: NtlmServer;
  readonly targetName?: string;
  complete: boolean;
  /** The cause of the last failed per-message call (the user table's failureCause). */
  lastFailure?: NtlmFailure | undefined;
  /**
   * A verify or unseal was refused: the inbound RC4 keystream and sequence number moved on past a
   * message the peer may never have sent, so no later inbound message can be checked.
   */
  inboundDesynchronised?: boolean;
}

/** NTLM's SecPkgInfo; cbMaxToken as Windows reports it (2888). */
export const NTLM_INFO: SecPkgInfo = {
  name: 'NTLM',
  comment: 'NTLM Security Package (MS-NLMP, pure TypeScript)',
  capabilities:
    SecPkgFlag.INTEGRITY |
    SecPkgFlag.PRIVACY |
    SecPkgFlag.TOKEN_ONLY |
    SecPkgFlag.CONNECTION |
    SecPkgFlag.MULTI_REQUIRED |
    SecPkgFlag.IMPERSONATION |
    SecPkgFlag.ACCEPT_WIN32_NAME |
    SecPkgFlag.NEGOTIABLE,
  version: 1,
  rpcId: 10, // RPC_C_AUTHN_WINNT
  maxToken: 2888,
};

/** One package instance's handles, helpers and configuration (shared by both tables). */
export class NtlmPackageState {
  readonly creds = new Map<LsaSecHandle, CredEntry>();
  readonly contexts = new Map<LsaSecHandle, CtxEntry>();
  readonly config: NtlmPackageConfig;
  helpers: LsaSecpkgFunctionTable | undefined;
  #next = 1;

  constructor(config: NtlmPackageConfig) {
    this.config = config;
  }

  /** A fresh package-local handle value. */
  nextHandle(): number {
    return this.#next++;
  }

  /** The clock and random source: the registry's injected ones once initialised. */
  get env(): Environment {
    const h = this.helpers;
    if (h) return { now: () => h.clock(), randomBytes: (n) => h.randomBytes(n) };
    return { now: () => Date.now(), randomBytes: (n) => new Uint8Array(randomBytes(n)) };
  }

  /**
   * The acceptor's account store: per-credential, then package config, then NTLM_USER_FILE; a
   * string says why there is none.
   */
  accountsFor(fromAuthData: AccountStore | undefined): AccountStore | string {
    if (fromAuthData) return fromAuthData;
    if (this.config.accounts) return this.config.accounts;
    const file = process.env['NTLM_USER_FILE'];
    if (!file) return 'no acceptor accounts: none given, and NTLM_USER_FILE is unset';
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return 'the file named by NTLM_USER_FILE cannot be read'; // a status, never a throw
    }
    try {
      return readUserFile(text);
    } catch (e) {
      return e instanceof Error ? e.message : 'NTLM_USER_FILE cannot be parsed';
    }
  }
}

/** ISC_RET_* / ASC_RET_* bits implied by the negotiated NTLM flags. */
export function contextAttributes(side: 'client' | 'server', ntlmFlags: number, allocated: boolean): number {
  const R = side === 'client' ? IscRet : AscRet;
  let a: number = R.CONNECTION;
  if (hasFlag(ntlmFlags, NegotiateFlag.SIGN)) a |= R.INTEGRITY | R.REPLAY_DETECT | R.SEQUENCE_DETECT;
  if (hasFlag(ntlmFlags, NegotiateFlag.SEAL)) a |= R.CONFIDENTIALITY;
  if (allocated) a |= R.ALLOCATED_MEMORY;
  return a >>> 0;
}
