/**
 * The Mock security package: both function tables over an in-memory user database, with real
 * integrity and confidentiality, scriptable statuses and faults, and a call log.
 */
import {
  contextAttribute,
  ContextExport,
  IscReq,
  IscRet,
  AscReq,
  AscRet,
  SecBufferType,
  SecPkgAttr,
  SecPkgCred,
  SecPkgCredAttr,
  SecPkgFlag,
  SecPkgInterfaceVersion,
  SecQop,
  SecStatus,
  SECPKG_ID_NONE,
  constantTimeEqual as macEqual,
  findBuffer,
  isReadOnly,
  timeStampFromMillis,
  wipe as wipeAll,
  writeBuffer,
} from '@sspkit/core';
import type {
  AccessToken,
  LsaModeContextResult,
  LsaSecHandle,
  LsaSecpkgFunctionTable,
  Out,
  SecBufferDesc,
  SecPkgInfo,
  SecpkgFunctionTable,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
  StatusWith,
} from '@sspkit/core';
import { MockContext } from './context.js';
import type { MockCredential } from './context.js';
import { userKey } from './crypto.js';
import { ascRetFromCaps, capsFromAscReq, capsFromIscReq, iscRetFromCaps } from './flags.js';
import type { HandshakeState, Identity, LegOutcome } from './handshake.js';
import { clientContinue, clientStart, serverStep } from './handshake.js';
import { instrument } from './instrument.js';
import { TRAILER_SIZE, protect, unprotect } from './messages.js';
import { Script } from './script.js';
import type { ScriptRule } from './script.js';
import type { MockUser } from './users.js';
import { DEFAULT_USERS, MOCK_DOMAIN, MockUserDatabase } from './users.js';

const S = SecStatus;

export interface MockPackageOptions {
  /** Package name (default `Mock`). */
  name?: string;
  comment?: string;
  /** Handshake tokens in all, 2…16 (default 3). Even counts give mutual authentication. */
  legs?: number;
  users?: readonly MockUser[];
  /** The "logged-on" user whose credentials an outbound handle without auth data uses (default alice). */
  defaultUser?: { name: string; domain?: string };
  /** SECPKG_FLAG_* (default: integrity, privacy, connection, mutual auth, impersonation, …). */
  capabilities?: number;
  maxToken?: number;
  /** Context and credential lifetime (default 10 hours). */
  lifetimeMs?: number;
  /** Rules installed from the start. */
  script?: readonly ScriptRule[];
  /** Call records the log keeps, newest last (default DEFAULT_LOG_LIMIT, 1000; 0 none, Infinity all). */
  logLimit?: number;
}

const DEFAULT_CAPABILITIES =
  SecPkgFlag.INTEGRITY |
  SecPkgFlag.PRIVACY |
  SecPkgFlag.CONNECTION |
  SecPkgFlag.MULTI_REQUIRED |
  SecPkgFlag.EXTENDED_ERROR |
  SecPkgFlag.IMPERSONATION |
  SecPkgFlag.ACCEPT_WIN32_NAME |
  SecPkgFlag.MUTUAL_AUTH |
  SecPkgFlag.READONLY_WITH_CHECKSUM;

interface Entry {
  ctx: MockContext;
  /** InitUserModeContext ran: the user-mode half knows the context. */
  mapped: boolean;
  custom: Map<number, unknown>;
  /** Why the last per-message call failed (the user table's failureCause slot); cleared by a success. */
  lastFailure?: Error;
}

/** The cause a failed Mock call carries: what went wrong, never a key or a password. */
class MockFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockFailure';
  }
}

/** One instance of the Mock package; `module` is what a registry loads. */
export class MockPackage {
  readonly script: Script;
  readonly users: MockUserDatabase;
  readonly info: SecPkgInfo;
  readonly legs: number;
  readonly module: SecurityPackageModule;
  readonly #options: MockPackageOptions;
  readonly #contexts = new Map<LsaSecHandle, Entry>();
  readonly #creds = new Map<LsaSecHandle, MockCredential & { custom: Map<number, unknown> }>();
  #helpers: LsaSecpkgFunctionTable | undefined;
  #nextHandle = 1;

  constructor(options: MockPackageOptions = {}) {
    const legs = options.legs ?? 3;
    if (!Number.isInteger(legs) || legs < 2 || legs > 16) throw new RangeError('legs must be an integer from 2 to 16');
    this.#options = options;
    this.script = new Script(options.logLimit);
    this.legs = legs;
    this.users = new MockUserDatabase(options.users ?? DEFAULT_USERS);
    this.info = Object.freeze({
      name: options.name ?? 'Mock',
      comment: options.comment ?? `sspkit deterministic test package (${legs}-leg handshake)`,
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
      version: 1,
      rpcId: SECPKG_ID_NONE,
      maxToken: options.maxToken ?? 2048,
    });
    for (const r of options.script ?? []) this.script.add(r);
    const hooks = {
      onStatusReplaced: (_slot: string, result: unknown, status: number) => {
        const h = (result as LsaModeContextResult).newContextHandle;
        const e = h === undefined ? undefined : this.#contexts.get(h);
        if (e && (status === S.SEC_I_COMPLETE_NEEDED || status === S.SEC_I_COMPLETE_AND_CONTINUE))
          e.ctx.completionPending = true;
      },
    };
    const lsa = instrument(this.#lsaTable(), 'lsa', this.script, hooks);
    const user = instrument(this.#userTable(), 'user', this.script, hooks);
    this.module = {
      spLsaModeInitialize: () => ({
        status: S.SEC_E_OK,
        packageVersion: SecPkgInterfaceVersion.VERSION_4,
        tables: [lsa],
      }),
      spUserModeInitialize: () => ({
        status: S.SEC_E_OK,
        packageVersion: SecPkgInterfaceVersion.VERSION_2,
        tables: [user],
      }),
    };
  }

  /** Adds a scripted rule. */
  rule(rule: ScriptRule): this {
    this.script.add(rule);
    return this;
  }

  /** Contexts the package currently holds (a leak check). */
  get liveContexts(): number {
    return this.#contexts.size;
  }

  /** Credentials the package currently holds (a leak check). */
  get liveCredentials(): number {
    return this.#creds.size;
  }

  #now(): number {
    return this.#helpers ? this.#helpers.clock() : Date.now();
  }

  #random(n: number): Uint8Array {
    if (!this.#helpers) throw new Error('Mock package used before SpInitialize');
    return this.#helpers.randomBytes(n);
  }

  #lifetime(): { start: bigint; expiry: bigint } {
    const now = this.#now();
    return {
      start: timeStampFromMillis(now),
      expiry: timeStampFromMillis(now + (this.#options.lifetimeMs ?? 36_000_000)),
    };
  }

  #granted(ctx: MockContext): number {
    const client = ctx.hs.side === 'client';
    const base = client ? iscRetFromCaps(ctx.hs.caps) : ascRetFromCaps(ctx.hs.caps);
    const alloc = client
      ? ctx.requirements & IscReq.ALLOCATE_MEMORY
        ? IscRet.ALLOCATED_MEMORY
        : 0
      : ctx.requirements & AscReq.ALLOCATE_MEMORY
        ? AscRet.ALLOCATED_MEMORY
        : 0;
    return (base | alloc) >>> 0;
  }

  #token(ctx: MockContext): AccessToken {
    const u = this.users.find(ctx.hs.user!, ctx.hs.domain);
    return {
      authenticationPackage: this.info.name,
      user: ctx.hs.user!,
      domain: ctx.hs.domain!,
      groups: [...(u?.groups ?? [])],
      attributes: { target: ctx.hs.target ?? '' },
    };
  }

  #lookup = (user: string, domain: string): Identity | undefined => {
    const u = this.users.find(user, domain);
    return u && { user: u.name, domain: u.domain, key: Uint8Array.from(u.key) };
  };

  /** Runs one handshake leg: write the output token, then commit the new state. */
  #leg(
    existing: LsaSecHandle | undefined,
    requirements: number,
    output: SecBufferDesc | undefined,
    allocate: boolean,
    run: (state: HandshakeState) => LegOutcome,
    side: 'client' | 'server',
  ): LsaModeContextResult {
    const entry = existing === undefined ? undefined : this.#contexts.get(existing);
    if (existing !== undefined && !entry)
      return { status: S.SEC_E_INVALID_HANDLE, cause: new MockFailure('no such context') };
    if (entry?.ctx.hs.complete)
      return { status: S.SEC_E_OUT_OF_SEQUENCE, cause: new MockFailure('the handshake is already complete') };
    const state: HandshakeState = entry?.ctx.hs ?? {
      side,
      legs: this.legs,
      nextLeg: 1,
      transcript: [],
      caps: 0,
      complete: false,
    };
    const outcome = run(state);
    if (outcome.status !== S.SEC_E_OK && outcome.status !== S.SEC_I_CONTINUE_NEEDED) {
      return { status: outcome.status, cause: new MockFailure(outcome.why ?? 'the leg was refused') };
    }
    const token = output && findBuffer(output, SecBufferType.TOKEN);
    if (outcome.output) {
      if (!token) return { status: S.SEC_E_INVALID_TOKEN, cause: new MockFailure('no SECBUFFER_TOKEN output buffer') };
      if (outcome.output.length > this.info.maxToken)
        return { status: S.SEC_E_INTERNAL_ERROR, cause: new MockFailure('the token is larger than cbMaxToken') };
      const st = writeBuffer(token, outcome.output, allocate);
      if (st !== S.SEC_E_OK)
        return {
          status: st,
          cause: new MockFailure(`the output token (${outcome.output.length} bytes) does not fit its buffer`),
        };
    } else if (token && !isReadOnly(token)) {
      // Nothing to send: cbBuffer = 0, so a caller never sends the untouched buffer.
      writeBuffer(token, new Uint8Array(0), allocate);
    }
    const { start, expiry } = this.#lifetime();
    let handle = existing;
    let ctx: MockContext;
    if (entry) {
      entry.ctx.hs = outcome.next!;
      ctx = entry.ctx;
    } else {
      ctx = new MockContext(outcome.next!, requirements, start, expiry);
      handle = this.#nextHandle++;
      this.#contexts.set(handle, { ctx, mapped: false, custom: new Map() });
    }
    const result: LsaModeContextResult = {
      status: outcome.status,
      newContextHandle: handle!,
      contextAttributes: this.#granted(ctx),
      expirationTime: ctx.expiry,
    };
    if (ctx.established) {
      // Hand the user-mode half its context, as an SSP/AP does with MappedContext.
      result.mappedContext = true;
      result.contextData = ctx.export(false);
    }
    return result;
  }

  #lsaTable(): SecpkgFunctionTable {
    return {
      initialize: (_id, _parameters, functionTable) => {
        this.#helpers = functionTable;
        return S.SEC_E_OK;
      },
      shutdown: () => {
        for (const e of this.#contexts.values()) e.ctx.wipe();
        for (const c of this.#creds.values()) wipeAll(c.key);
        this.#contexts.clear();
        this.#creds.clear();
        return S.SEC_E_OK;
      },
      getInfo: () => ({ status: S.SEC_E_OK, packageInfo: this.info }),
      acquireCredentialsHandle: (principal, use, _logonId, authData) => {
        if ((use & SecPkgCred.BOTH) === 0) return { status: S.SEC_E_UNKNOWN_CREDENTIALS };
        let cred: MockCredential & { custom: Map<number, unknown> } = {
          use,
          custom: new Map(),
          ...(principal !== undefined ? { principal } : {}),
        };
        if (use & SecPkgCred.OUTBOUND) {
          const id = this.#identity(principal, authData);
          if (typeof id === 'number') return { status: id };
          cred = { ...cred, ...id };
        }
        const handle = this.#nextHandle++;
        this.#creds.set(handle, cred);
        return { status: S.SEC_E_OK, credentialHandle: handle, expirationTime: this.#lifetime().expiry };
      },
      queryCredentialsAttributes: (h, attribute) => {
        const c = this.#creds.get(h);
        if (!c) return { status: S.SEC_E_INVALID_HANDLE };
        if (attribute === SecPkgCredAttr.NAMES)
          return c.user
            ? { status: S.SEC_E_OK, buffer: { userName: `${c.domain}\\${c.user}` } }
            : { status: S.SEC_E_NO_CREDENTIALS };
        return c.custom.has(attribute)
          ? { status: S.SEC_E_OK, buffer: c.custom.get(attribute) }
          : { status: S.SEC_E_UNSUPPORTED_FUNCTION };
      },
      freeCredentialsHandle: (h) => {
        const c = this.#creds.get(h);
        if (!c) return S.SEC_E_INVALID_HANDLE;
        wipeAll(c.key);
        this.#creds.delete(h);
        return S.SEC_E_OK;
      },
      addCredentials: (h, principal, _pkg, use, authData) => {
        const c = this.#creds.get(h);
        if (!c) return { status: S.SEC_E_INVALID_HANDLE };
        if ((use & SecPkgCred.OUTBOUND) === 0) return { status: S.SEC_E_OK };
        const id = this.#identity(principal, authData);
        if (typeof id === 'number') return { status: id };
        wipeAll(c.key);
        this.#creds.set(h, { ...c, ...id, use: c.use | use });
        return { status: S.SEC_E_OK, expirationTime: this.#lifetime().expiry };
      },
      setCredentialsAttributes: (h, attribute, buffer) => {
        const c = this.#creds.get(h);
        if (!c) return S.SEC_E_INVALID_HANDLE;
        if (attribute === SecPkgCredAttr.NAMES) return S.SEC_E_UNSUPPORTED_FUNCTION;
        c.custom.set(attribute, buffer);
        return S.SEC_E_OK;
      },
      initLsaModeContext: (credH, ctxH, target, req, _rep, input, output) => {
        const cred = credH === undefined ? undefined : this.#creds.get(credH);
        if (ctxH === undefined) {
          if (!cred) return { status: S.SEC_E_INVALID_HANDLE };
          if (!(cred.use & SecPkgCred.OUTBOUND) || !cred.key) return { status: S.SEC_E_NO_CREDENTIALS };
        }
        const inToken = input && findBuffer(input, SecBufferType.TOKEN)?.data;
        const nonce = this.#random(16);
        return this.#leg(
          ctxH,
          req,
          output,
          (req & IscReq.ALLOCATE_MEMORY) !== 0,
          (state) =>
            state.nextLeg === 1
              ? clientStart(
                  state,
                  { user: cred!.user!, domain: cred!.domain!, key: cred!.key! },
                  nonce,
                  capsFromIscReq(req),
                  target,
                )
              : clientContinue(state, inToken, nonce),
          'client',
        );
      },
      acceptLsaModeContext: (credH, ctxH, input, req, _rep, output) => {
        const cred = credH === undefined ? undefined : this.#creds.get(credH);
        if (ctxH === undefined) {
          if (!cred) return { status: S.SEC_E_INVALID_HANDLE };
          if (!(cred.use & SecPkgCred.INBOUND)) return { status: S.SEC_E_NO_CREDENTIALS };
        }
        const inToken = input && findBuffer(input, SecBufferType.TOKEN)?.data;
        const nonce = this.#random(16);
        return this.#leg(
          ctxH,
          req,
          output,
          (req & AscReq.ALLOCATE_MEMORY) !== 0,
          (state) => serverStep(state, inToken, nonce, capsFromAscReq(req), this.#lookup),
          'server',
        );
      },
      deleteContext: (h) => {
        const e = this.#contexts.get(h);
        if (!e) return S.SEC_E_INVALID_HANDLE;
        e.ctx.wipe();
        this.#contexts.delete(h);
        return S.SEC_E_OK;
      },
      applyControlToken: (h, control) => {
        if (!this.#contexts.has(h)) return S.SEC_E_INVALID_HANDLE;
        return findBuffer(control, SecBufferType.TOKEN) ? S.SEC_E_OK : S.SEC_E_INVALID_TOKEN;
      },
      queryContextAttributes: (h, attribute) => this.#query(h, attribute, false),
      setContextAttributes: (h, attribute, buffer) => {
        const e = this.#contexts.get(h);
        if (!e) return S.SEC_E_INVALID_HANDLE;
        if (attribute <= SecPkgAttr.IS_LOOPBACK) return S.SEC_E_UNSUPPORTED_FUNCTION; // built-in attributes are read-only here
        e.custom.set(attribute, buffer);
        return S.SEC_E_OK;
      },
      changeAccountPassword: (domain, account, oldPassword, newPassword) => {
        const u = this.users.find(account, domain || MOCK_DOMAIN);
        if (!u) return S.SEC_E_LOGON_DENIED;
        const oldKey = userKey(u.name, u.domain, oldPassword);
        const ok = macEqual(oldKey, u.key);
        oldKey.fill(0);
        if (!ok) return S.SEC_E_LOGON_DENIED;
        this.users.add({ name: u.name, domain: u.domain, password: newPassword, groups: u.groups });
        return S.SEC_E_OK;
      },
    };
  }

  /** The outbound identity of a credential: explicit auth data, else the default user. */
  #identity(
    principal: string | undefined,
    authData: unknown,
  ): { user: string; domain: string; key: Uint8Array } | number {
    if (authData !== undefined) {
      if (typeof authData !== 'object' || authData === null) return S.SEC_E_UNKNOWN_CREDENTIALS;
      const a = authData as { user?: unknown; domain?: unknown; password?: unknown };
      if (typeof a.user !== 'string' || a.user.length === 0 || typeof a.password !== 'string')
        return S.SEC_E_UNKNOWN_CREDENTIALS;
      if (a.domain !== undefined && typeof a.domain !== 'string') return S.SEC_E_UNKNOWN_CREDENTIALS;
      const domain = a.domain || MOCK_DOMAIN;
      return { user: a.user, domain, key: userKey(a.user, domain, a.password) };
    }
    const name = principal ?? this.#options.defaultUser?.name ?? 'alice';
    const domain = this.#options.defaultUser?.domain ?? MOCK_DOMAIN;
    const u = this.users.find(name, domain);
    return u ? { user: u.name, domain: u.domain, key: Uint8Array.from(u.key) } : S.SEC_E_NO_CREDENTIALS;
  }

  #query(h: LsaSecHandle, attribute: number, userMode: boolean): StatusWith<'buffer', unknown> {
    const e = this.#contexts.get(h);
    if (!e || (userMode && !e.mapped)) return { status: S.SEC_E_INVALID_HANDLE };
    const { ctx } = e;
    // Each answer is built with contextAttribute(), so its shape is checked against core's map.
    const need = (v: () => StatusWith<'buffer', unknown>): StatusWith<'buffer', unknown> =>
      ctx.established ? v() : { status: S.SEC_E_OUT_OF_SEQUENCE };
    switch (attribute) {
      case SecPkgAttr.SIZES:
        return contextAttribute(SecPkgAttr.SIZES, {
          maxToken: this.info.maxToken,
          maxSignature: TRAILER_SIZE,
          blockSize: 1,
          securityTrailer: TRAILER_SIZE,
        });
      case SecPkgAttr.NAMES:
        return need(() => contextAttribute(SecPkgAttr.NAMES, { userName: `${ctx.hs.domain}\\${ctx.hs.user}` }));
      case SecPkgAttr.NATIVE_NAMES:
        return need(() =>
          contextAttribute(SecPkgAttr.NATIVE_NAMES, {
            clientName: `${ctx.hs.user}@${ctx.hs.domain}`,
            serverName: ctx.hs.target ?? '',
          }),
        );
      case SecPkgAttr.LIFESPAN:
        return contextAttribute(SecPkgAttr.LIFESPAN, { start: ctx.start, expiry: ctx.expiry });
      case SecPkgAttr.SESSION_KEY:
        return need(() =>
          contextAttribute(SecPkgAttr.SESSION_KEY, { sessionKey: Uint8Array.from(ctx.hs.sessionKey!) }),
        );
      case SecPkgAttr.PACKAGE_INFO:
        return contextAttribute(SecPkgAttr.PACKAGE_INFO, { packageInfo: this.info });
      case SecPkgAttr.FLAGS:
        return contextAttribute(SecPkgAttr.FLAGS, { flags: this.#granted(ctx) });
      case SecPkgAttr.ACCESS_TOKEN:
        if (ctx.hs.side !== 'server') return { status: S.SEC_E_NO_IMPERSONATION };
        return need(() => contextAttribute(SecPkgAttr.ACCESS_TOKEN, { accessToken: this.#token(ctx) }));
      default:
        return e.custom.has(attribute)
          ? { status: S.SEC_E_OK, buffer: e.custom.get(attribute) }
          : { status: S.SEC_E_UNSUPPORTED_FUNCTION };
    }
  }

  /** The context behind a user-mode call, or the status that refuses the call. */
  #messageContext(h: LsaSecHandle): MockContext | number {
    const e = this.#contexts.get(h);
    if (!e) return S.SEC_E_INVALID_HANDLE;
    if (!e.ctx.established || e.ctx.completionPending) return S.SEC_E_OUT_OF_SEQUENCE;
    // Established but never handed to user mode: the user half does not know this handle.
    if (!e.mapped) return S.SEC_E_INVALID_HANDLE;
    if (timeStampFromMillis(this.#now()) >= e.ctx.expiry) return S.SEC_E_CONTEXT_EXPIRED;
    return e.ctx;
  }

  #userTable(): SecpkgUserFunctionTable {
    // Every per-message result goes through here: a failure keeps its reason for failureCause.
    const noted = (h: LsaSecHandle, status: number, why: string): number => {
      const e = this.#contexts.get(h);
      if (e !== undefined) {
        if (status === S.SEC_E_OK) delete e.lastFailure;
        else e.lastFailure = new MockFailure(why);
      }
      return status;
    };
    const send = (h: LsaSecHandle, qop: number, msg: SecBufferDesc, seal: boolean): number => {
      const ctx = this.#messageContext(h);
      if (typeof ctx === 'number') return noted(h, ctx, contextRefusal(ctx));
      if (qop !== 0 && !(seal && qop === SecQop.WRAP_NO_ENCRYPT))
        return noted(h, S.SEC_E_QOP_NOT_SUPPORTED, `qop ${qop} is not supported`);
      const st = protect(ctx.keys().send, ctx.sendSeq, msg, seal && qop === 0, this.#random(8));
      if (st === S.SEC_E_OK) ctx.sendSeq++;
      return noted(h, st, messageRefusal(st));
    };
    const receive = (h: LsaSecHandle, msg: SecBufferDesc, sealed: boolean, qop: Out<number> | undefined): number => {
      const ctx = this.#messageContext(h);
      if (typeof ctx === 'number') return noted(h, ctx, contextRefusal(ctx));
      const k = ctx.keys();
      const st = unprotect(k.recv, k.window, msg, sealed, qop);
      return noted(h, st, messageRefusal(st));
    };
    return {
      instanceInit: () => S.SEC_E_OK,
      initUserModeContext: (h, packed) => {
        const e = this.#contexts.get(h);
        if (!e) return S.SEC_E_INVALID_HANDLE;
        const copy = MockContext.import(packed);
        const same =
          copy?.hs.sessionKey !== undefined &&
          e.ctx.hs.sessionKey !== undefined &&
          macEqual(copy.hs.sessionKey, e.ctx.hs.sessionKey);
        copy?.wipe();
        if (!same) return S.SEC_E_INVALID_TOKEN;
        e.mapped = true;
        return S.SEC_E_OK;
      },
      failureCause: (h) => this.#contexts.get(h)?.lastFailure,
      makeSignature: (h, qop, msg) => send(h, qop, msg, false),
      verifySignature: (h, msg, _seq, qop) => receive(h, msg, false, qop),
      sealMessage: (h, qop, msg) => send(h, qop, msg, true),
      unsealMessage: (h, msg, _seq, qop) => receive(h, msg, true, qop),
      getContextToken: (h) => {
        const e = this.#contexts.get(h);
        if (!e) return { status: S.SEC_E_INVALID_HANDLE };
        if (e.ctx.hs.side !== 'server' || !e.ctx.established) return { status: S.SEC_E_NO_IMPERSONATION };
        if (!e.mapped) return { status: S.SEC_E_INVALID_HANDLE };
        return { status: S.SEC_E_OK, token: this.#token(e.ctx) };
      },
      queryContextAttributes: (h, attribute) => this.#query(h, attribute, true),
      completeAuthToken: (h) => {
        const e = this.#contexts.get(h);
        if (!e) return S.SEC_E_INVALID_HANDLE;
        if (!e.ctx.completionPending) return S.SEC_E_OUT_OF_SEQUENCE;
        e.ctx.completionPending = false;
        return S.SEC_E_OK;
      },
      deleteUserModeContext: (h) => {
        const e = this.#contexts.get(h);
        if (!e) return S.SEC_E_INVALID_HANDLE;
        e.mapped = false;
        return S.SEC_E_OK;
      },
      formatCredentials: (credentials) => ({ status: S.SEC_E_OK, formattedCredentials: Uint8Array.from(credentials) }),
      marshallSupplementalCreds: (credentials) => ({
        status: S.SEC_E_OK,
        marshalledCreds: Uint8Array.from(credentials),
      }),
      exportContext: (h, flags) => {
        const e = this.#contexts.get(h);
        if (!e || !e.mapped) return { status: S.SEC_E_INVALID_HANDLE };
        if (!e.ctx.established) return { status: S.SEC_E_OUT_OF_SEQUENCE };
        const packedContext = e.ctx.export((flags & ContextExport.RESET_NEW) !== 0);
        const token = e.ctx.hs.side === 'server' ? this.#token(e.ctx) : undefined;
        if (flags & ContextExport.DELETE_OLD) {
          e.ctx.wipe();
          this.#contexts.delete(h);
        }
        return token ? { status: S.SEC_E_OK, packedContext, token } : { status: S.SEC_E_OK, packedContext };
      },
      importContext: (packed) => {
        const ctx = MockContext.import(packed);
        if (!ctx || !ctx.established) return { status: S.SEC_E_INVALID_TOKEN };
        const handle = this.#nextHandle++;
        this.#contexts.set(handle, { ctx, mapped: true, custom: new Map() });
        return { status: S.SEC_E_OK, contextHandle: handle };
      },
      marshalAttributeData: (_info, _attribute, data) => ({
        status: S.SEC_E_OK,
        marshaledAttributeData: Uint8Array.from(data),
      }),
    };
  }
}

/** Why the context cannot protect messages, by the status #messageContext returned. */
function contextRefusal(status: number): string {
  switch (status) {
    case S.SEC_E_INVALID_HANDLE:
      return 'no such context, or one never handed to user mode';
    case S.SEC_E_OUT_OF_SEQUENCE:
      return 'the handshake is not complete (or CompleteAuthToken is pending)';
    case S.SEC_E_CONTEXT_EXPIRED:
      return 'the context has expired';
    default:
      return 'the context cannot protect messages';
  }
}

/** Why protecting or checking a message failed, by its status. */
function messageRefusal(status: number): string {
  switch (status) {
    case S.SEC_E_INVALID_TOKEN:
      return 'no writable SECBUFFER_TOKEN, no DATA buffer, or a trailer of the wrong size';
    case S.SEC_E_BUFFER_TOO_SMALL:
      return 'the SECBUFFER_TOKEN is smaller than the trailer';
    case S.SEC_E_MESSAGE_ALTERED:
      return 'the MAC does not verify: the message, its trailer or a covered buffer was altered';
    case S.SEC_E_OUT_OF_SEQUENCE:
      return 'the sequence number was replayed or is out of the window';
    default:
      return 'the message was refused';
  }
}
