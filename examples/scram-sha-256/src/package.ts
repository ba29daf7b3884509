/**
 * SCRAM-SHA-256 as an SSP/AP package, written only against @sspkit/core's public contract.
 *
 *   client ISC #1 → client-first              SEC_I_CONTINUE_NEEDED
 *   server ASC #1 → server-first              SEC_I_CONTINUE_NEEDED
 *   client ISC #2 → client-final (proof)      SEC_I_CONTINUE_NEEDED
 *   server ASC #2 → server-final (v=…)        SEC_E_OK        (wrong proof: SEC_E_LOGON_DENIED)
 *   client ISC #3 → verifies v=…, no token    SEC_E_OK        (wrong v: SEC_E_MUTUAL_AUTH_FAILED)
 *
 * SCRAM has no security layer: the package declares SECPKG_FLAG_TOKEN_ONLY and has no per-message
 * slots, so the dispatcher answers SEC_E_UNSUPPORTED_FUNCTION for them.
 */
import { createHmac } from 'node:crypto';
import {
  AscReq,
  AscRet,
  IscReq,
  IscRet,
  SecBufferType,
  SecPkgAttr,
  SecPkgCred,
  SecPkgFlag,
  SecPkgInterfaceVersion,
  SecStatus,
  SECPKG_ID_NONE,
  findBuffer,
  isReadOnly,
  writeBuffer,
} from '@sspkit/core';
import type {
  AccessToken,
  LsaModeContextResult,
  LsaSecHandle,
  LsaSecpkgFunctionTable,
  SecBufferDesc,
  SecPkgInfo,
  SecpkgFunctionTable,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
} from '@sspkit/core';
import type { ScramVerifier } from './scram.js';
import {
  MIN_ITERATIONS,
  clientProof,
  escapeName,
  parseClientFinal,
  parseClientFirst,
  parseServerFinal,
  parseServerFirst,
  saltedPassword,
  saslPrep,
  serverSignature,
  verifyProof,
} from './scram.js';

const S = SecStatus;
const MAX_TOKEN = 1024;

/** Where the acceptor finds verifiers. */
export interface ScramUserStore {
  lookup(user: string): ScramVerifier | undefined;
}

export interface ScramPackageConfig {
  /** Acceptor users; inbound credentials may also bring `{ users }` as auth data. */
  readonly users?: ScramUserStore;
}

export const SCRAM_INFO: SecPkgInfo = Object.freeze({
  name: 'SCRAM-SHA-256',
  comment: 'SCRAM-SHA-256 (RFC 5802, RFC 7677), an sspkit example package',
  capabilities:
    SecPkgFlag.TOKEN_ONLY |
    SecPkgFlag.CONNECTION |
    SecPkgFlag.MUTUAL_AUTH |
    SecPkgFlag.IMPERSONATION |
    SecPkgFlag.ACCEPT_WIN32_NAME,
  version: 1,
  rpcId: SECPKG_ID_NONE,
  maxToken: MAX_TOKEN,
});

interface Credential {
  readonly use: number;
  readonly user?: string;
  /** The password as UTF-8 bytes, wiped when the credential is freed. */
  readonly password?: Buffer;
  readonly users?: ScramUserStore;
}

type ClientState =
  | { side: 'client'; step: 'sent-first'; user: string; password: Buffer; nonce: string; bare: string }
  | { side: 'client'; step: 'sent-final'; user: string; expected: Buffer }
  | { side: 'client'; step: 'done'; user: string };
type ServerState =
  | {
      side: 'server';
      step: 'sent-first';
      user: string;
      verifier: ScramVerifier | undefined;
      nonce: string;
      prefix: string;
    }
  | { side: 'server'; step: 'done'; user: string };
interface Context {
  state: ClientState | ServerState;
  requirements: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function text(input: SecBufferDesc | undefined): string | undefined {
  const t = input && findBuffer(input, SecBufferType.TOKEN);
  if (!t) return undefined;
  try {
    return dec.decode(t.data);
  } catch {
    return undefined;
  }
}

/** A SCRAM-SHA-256 package instance: its own credentials, contexts and user store. */
export function createScramModule(config: ScramPackageConfig = {}): Required<SecurityPackageModule> {
  const creds = new Map<LsaSecHandle, Credential>();
  const contexts = new Map<LsaSecHandle, Context>();
  let helpers: LsaSecpkgFunctionTable | undefined;
  let next = 1;
  let fakeSaltKey: Uint8Array | undefined;

  const nonce = (): string => Buffer.from(helpers!.randomBytes(24)).toString('base64');

  /** Unknown users get a stable fake salt, so the server's answer does not reveal who exists. */
  const fakeVerifier = (user: string): ScramVerifier => {
    fakeSaltKey ??= helpers!.randomBytes(32);
    const salt = createHmac('sha256', fakeSaltKey).update(user).digest().subarray(0, 16);
    return { salt, iterations: MIN_ITERATIONS, storedKey: new Uint8Array(32), serverKey: new Uint8Array(32) };
  };

  const emit = (output: SecBufferDesc | undefined, bytes: Uint8Array, allocate: boolean): number => {
    const token = output && findBuffer(output, SecBufferType.TOKEN);
    if (!token) return bytes.length === 0 ? S.SEC_E_OK : S.SEC_E_INVALID_TOKEN;
    if (bytes.length === 0 && isReadOnly(token)) return S.SEC_E_OK;
    return writeBuffer(token, bytes, allocate);
  };

  const result = (status: number, handle: LsaSecHandle, ctx: Context): LsaModeContextResult => {
    const client = ctx.state.side === 'client';
    const mutual = ctx.state.step === 'done' ? (client ? IscRet.MUTUAL_AUTH : AscRet.MUTUAL_AUTH) : 0;
    const alloc = client
      ? ctx.requirements & IscReq.ALLOCATE_MEMORY
        ? IscRet.ALLOCATED_MEMORY
        : 0
      : ctx.requirements & AscReq.ALLOCATE_MEMORY
        ? AscRet.ALLOCATED_MEMORY
        : 0;
    const conn = ctx.requirements & IscReq.CONNECTION ? IscRet.CONNECTION : 0; // same bit for ASC
    return { status, newContextHandle: handle, contextAttributes: (mutual | alloc | conn) >>> 0 };
  };

  const lsa: SecpkgFunctionTable = {
    initialize: (_id, _parameters, functionTable) => {
      helpers = functionTable;
      return S.SEC_E_OK;
    },
    getInfo: () => ({ status: S.SEC_E_OK, packageInfo: SCRAM_INFO }),
    acquireCredentialsHandle: (principal, use, _logonId, authData) => {
      if ((use & SecPkgCred.BOTH) === 0) return { status: S.SEC_E_UNKNOWN_CREDENTIALS };
      const a = (authData ?? {}) as { user?: unknown; password?: unknown; users?: unknown };
      let cred: Credential = { use };
      if (use & SecPkgCred.OUTBOUND) {
        const user = typeof a.user === 'string' ? a.user : principal;
        if (typeof user !== 'string' || typeof a.password !== 'string') return { status: S.SEC_E_NO_CREDENTIALS };
        const password = saslPrep(a.password);
        const name = saslPrep(user);
        if (password === undefined || name === undefined || name.length === 0)
          return { status: S.SEC_E_UNKNOWN_CREDENTIALS };
        cred = { ...cred, user: name, password: Buffer.from(password, 'utf8') };
      }
      if (use & SecPkgCred.INBOUND) {
        const users = (a.users as ScramUserStore | undefined) ?? config.users;
        if (!users || typeof users.lookup !== 'function') return { status: S.SEC_E_NO_CREDENTIALS };
        cred = { ...cred, users };
      }
      const handle = next++;
      creds.set(handle, cred);
      return { status: S.SEC_E_OK, credentialHandle: handle };
    },
    queryCredentialsAttributes: (h, attribute) => {
      const c = creds.get(h);
      if (!c) return { status: S.SEC_E_INVALID_HANDLE };
      if (attribute !== 1) return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
      return c.user ? { status: S.SEC_E_OK, buffer: { userName: c.user } } : { status: S.SEC_E_NO_CREDENTIALS };
    },
    freeCredentialsHandle: (h) => {
      const c = creds.get(h);
      if (!c) return S.SEC_E_INVALID_HANDLE;
      c.password?.fill(0);
      creds.delete(h);
      return S.SEC_E_OK;
    },
    initLsaModeContext: (credH, ctxH, _target, req, _rep, input, output) => {
      const allocate = (req & IscReq.ALLOCATE_MEMORY) !== 0;
      if (ctxH === undefined) {
        const c = credH === undefined ? undefined : creds.get(credH);
        if (!c) return { status: S.SEC_E_INVALID_HANDLE };
        if (!c.user || !c.password) return { status: S.SEC_E_NO_CREDENTIALS };
        const n = nonce();
        const bare = `n=${escapeName(c.user)},r=${n}`;
        const st = emit(output, enc.encode(`n,,${bare}`), allocate);
        if (st !== S.SEC_E_OK) return { status: st };
        const handle = next++;
        const ctx: Context = {
          state: {
            side: 'client',
            step: 'sent-first',
            user: c.user,
            password: Buffer.from(c.password),
            nonce: n,
            bare,
          },
          requirements: req,
        };
        contexts.set(handle, ctx);
        return result(S.SEC_I_CONTINUE_NEEDED, handle, ctx);
      }
      const ctx = contexts.get(ctxH);
      if (!ctx || ctx.state.side !== 'client') return { status: S.SEC_E_INVALID_HANDLE };
      const s = ctx.state;
      const msg = text(input);
      if (msg === undefined) return { status: S.SEC_E_INVALID_TOKEN };
      if (s.step === 'sent-first') {
        const sf = parseServerFirst(msg);
        if (!sf || !sf.nonce.startsWith(s.nonce) || sf.nonce.length <= s.nonce.length || sf.iterations < MIN_ITERATIONS)
          return { status: S.SEC_E_INVALID_TOKEN };
        const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${sf.nonce}`;
        const salted = saltedPassword(s.password.toString('utf8'), sf.salt, sf.iterations);
        const { proof, serverSignature: expected } = clientProof(salted, `${s.bare},${msg},${withoutProof}`);
        salted.fill(0);
        const st = emit(output, enc.encode(`${withoutProof},p=${proof.toString('base64')}`), allocate);
        if (st !== S.SEC_E_OK) return { status: st };
        s.password.fill(0);
        ctx.state = { side: 'client', step: 'sent-final', user: s.user, expected };
        return result(S.SEC_I_CONTINUE_NEEDED, ctxH, ctx);
      }
      if (s.step === 'sent-final') {
        const fin = parseServerFinal(msg);
        if (!fin) return { status: S.SEC_E_INVALID_TOKEN };
        if ('error' in fin) return { status: S.SEC_E_LOGON_DENIED };
        const ok = fin.verifier.length === 32 && Buffer.compare(Buffer.from(fin.verifier), s.expected) === 0;
        if (!ok) return { status: S.SEC_E_MUTUAL_AUTH_FAILED };
        const st = emit(output, new Uint8Array(0), allocate);
        if (st !== S.SEC_E_OK) return { status: st };
        ctx.state = { side: 'client', step: 'done', user: s.user };
        return result(S.SEC_E_OK, ctxH, ctx);
      }
      return { status: S.SEC_E_OUT_OF_SEQUENCE };
    },
    acceptLsaModeContext: (credH, ctxH, input, req, _rep, output) => {
      const allocate = (req & AscReq.ALLOCATE_MEMORY) !== 0;
      const msg = text(input);
      if (ctxH === undefined) {
        const c = credH === undefined ? undefined : creds.get(credH);
        if (!c) return { status: S.SEC_E_INVALID_HANDLE };
        if (!c.users) return { status: S.SEC_E_NO_CREDENTIALS };
        const cf = msg === undefined ? undefined : parseClientFirst(msg);
        if (!cf) return { status: S.SEC_E_INVALID_TOKEN };
        const user = saslPrep(cf.user);
        if (user === undefined) return { status: S.SEC_E_INVALID_TOKEN };
        const verifier = c.users.lookup(user);
        const v = verifier ?? fakeVerifier(user);
        const n = cf.nonce + nonce();
        const serverFirst = `r=${n},s=${Buffer.from(v.salt).toString('base64')},i=${v.iterations}`;
        const st = emit(output, enc.encode(serverFirst), allocate);
        if (st !== S.SEC_E_OK) return { status: st };
        const handle = next++;
        const ctx: Context = {
          state: { side: 'server', step: 'sent-first', user, verifier, nonce: n, prefix: `${cf.bare},${serverFirst}` },
          requirements: req,
        };
        contexts.set(handle, ctx);
        return result(S.SEC_I_CONTINUE_NEEDED, handle, ctx);
      }
      const ctx = contexts.get(ctxH);
      if (!ctx || ctx.state.side !== 'server') return { status: S.SEC_E_INVALID_HANDLE };
      const s = ctx.state;
      if (s.step !== 'sent-first') return { status: S.SEC_E_OUT_OF_SEQUENCE };
      const cf = msg === undefined ? undefined : parseClientFinal(msg);
      if (
        !cf ||
        cf.nonce !== s.nonce ||
        (cf.channelBinding !== Buffer.from('n,,').toString('base64') &&
          cf.channelBinding !== Buffer.from('y,,').toString('base64'))
      ) {
        return { status: S.SEC_E_INVALID_TOKEN };
      }
      const authMessage = `${s.prefix},${cf.withoutProof}`;
      if (!s.verifier || !verifyProof(s.verifier, authMessage, cf.proof)) return { status: S.SEC_E_LOGON_DENIED };
      const st = emit(output, enc.encode(`v=${serverSignature(s.verifier, authMessage).toString('base64')}`), allocate);
      if (st !== S.SEC_E_OK) return { status: st };
      ctx.state = { side: 'server', step: 'done', user: s.user };
      return result(S.SEC_E_OK, ctxH, ctx);
    },
    deleteContext: (h) => {
      const ctx = contexts.get(h);
      if (!ctx) return S.SEC_E_INVALID_HANDLE;
      if (ctx.state.side === 'client' && ctx.state.step === 'sent-first') ctx.state.password.fill(0);
      contexts.delete(h);
      return S.SEC_E_OK;
    },
  };

  const user: SecpkgUserFunctionTable = {
    getContextToken: (h) => {
      const ctx = contexts.get(h);
      if (!ctx) return { status: S.SEC_E_INVALID_HANDLE };
      if (ctx.state.side !== 'server' || ctx.state.step !== 'done') return { status: S.SEC_E_NO_IMPERSONATION };
      const token: AccessToken = { authenticationPackage: SCRAM_INFO.name, user: ctx.state.user, groups: [] };
      return { status: S.SEC_E_OK, token };
    },
    queryContextAttributes: (h, attribute) => {
      const ctx = contexts.get(h);
      if (!ctx) return { status: S.SEC_E_INVALID_HANDLE };
      switch (attribute) {
        case SecPkgAttr.SIZES:
          return {
            status: S.SEC_E_OK,
            buffer: { maxToken: MAX_TOKEN, maxSignature: 0, blockSize: 0, securityTrailer: 0 },
          };
        case SecPkgAttr.NAMES:
          return ctx.state.step === 'done'
            ? { status: S.SEC_E_OK, buffer: { userName: ctx.state.user } }
            : { status: S.SEC_E_OUT_OF_SEQUENCE };
        case SecPkgAttr.PACKAGE_INFO:
          return { status: S.SEC_E_OK, buffer: { packageInfo: SCRAM_INFO } };
        case SecPkgAttr.FLAGS:
          return { status: S.SEC_E_OK, buffer: { flags: result(0, h, ctx).contextAttributes ?? 0 } };
        default:
          return { status: S.SEC_E_UNSUPPORTED_FUNCTION };
      }
    },
  };

  return {
    spLsaModeInitialize: () => ({ status: S.SEC_E_OK, packageVersion: SecPkgInterfaceVersion.VERSION, tables: [lsa] }),
    spUserModeInitialize: () => ({
      status: S.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [user],
    }),
  };
}

/** An in-memory user store of verifiers. */
export class InMemoryScramUsers implements ScramUserStore {
  readonly #users = new Map<string, ScramVerifier>();

  add(user: string, verifier: ScramVerifier): this {
    this.#users.set(user, verifier);
    return this;
  }

  lookup(user: string): ScramVerifier | undefined {
    return this.#users.get(user);
  }
}
