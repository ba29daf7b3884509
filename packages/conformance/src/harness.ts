/**
 * The world one check runs in: a fresh registry and dispatcher with the module under test loaded
 * (and the peer, in its own registry, when there is one), credentials from the author's config,
 * and helpers to run handshakes the way an application does.
 */
import { AscReq, IscReq, Registry, SecPkgCred, SecPkgFlag, SspiDispatcher, isSuccess, statusName } from '@sspkit/core';
import type { AuthData, CredHandle, CtxtHandle, RegisteredPackage, SecPkgInfo } from '@sspkit/core';
import { HandshakeDriver } from './handshake.js';
import type { HandshakeSetup } from './handshake.js';
import type { Monitor } from './monitor.js';
import { CheckFailure, CheckSkip } from './outcome.js';
import type { Probe } from './probe.js';
import { TableTracker, trackModule } from './track.js';
import type { ConformanceOptions } from './types.js';

/** The author's options with every default filled in. */
export interface ResolvedConfig {
  readonly packageName: string | undefined;
  readonly peerPackageName: string | undefined;
  readonly targetName: string;
  readonly clientAuth: AuthData | undefined;
  readonly clientPrincipal: string | undefined;
  readonly serverAuth: AuthData | undefined;
  readonly serverPrincipal: string | undefined;
  readonly clientReq: number | undefined;
  readonly serverReq: number | undefined;
  readonly expectedUser: string | undefined;
  readonly wrongAuthData: AuthData | undefined;
  readonly documented: Readonly<Record<string, readonly number[]>>;
  readonly skip: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

/** The password the wrong-password check uses when the author gives no `wrongAuthData`. */
const WRONG_PASSWORD = 'sspkit-conformance-wrong-password';

function passwordOf(a: unknown): string | undefined {
  const p = (a as { password?: unknown } | undefined)?.password;
  return typeof p === 'string' && p.length > 0 ? p : undefined;
}

/** Fills in defaults: wrong auth data derived from the password, secrets from every password given. */
export function resolveConfig(o: ConformanceOptions): ResolvedConfig {
  const clientAuth = o.client?.authData;
  const pw = passwordOf(clientAuth);
  // Unrelated to the real password, so that leaking the wrong one reveals nothing about the right one.
  const wrongAuthData =
    o.client?.wrongAuthData ??
    (pw !== undefined
      ? { ...clientAuth, password: pw === WRONG_PASSWORD ? `${WRONG_PASSWORD}-2` : WRONG_PASSWORD }
      : undefined);
  const user = (clientAuth as { user?: unknown } | undefined)?.user;
  const expectedUser =
    o.client?.expectedUser ??
    (typeof user === 'string' && user.length > 0 ? user.slice(user.lastIndexOf('\\') + 1) : undefined);
  const secrets = [...(o.secrets ?? []), pw, passwordOf(wrongAuthData), passwordOf(o.server?.authData)].filter(
    (s): s is string => s !== undefined,
  );
  return {
    packageName: o.packageName,
    peerPackageName: o.peerPackageName,
    targetName: o.client?.targetName ?? 'host/conformance.test',
    clientAuth,
    clientPrincipal: o.client?.principal,
    serverAuth: o.server?.authData,
    serverPrincipal: o.server?.principal,
    clientReq: o.client?.contextReq,
    serverReq: o.server?.contextReq,
    expectedUser,
    wrongAuthData,
    documented: o.documented ?? {},
    skip: o.skip ?? {},
    secrets: [...new Set(secrets)],
  };
}

/** Options for one handshake. */
export interface HandshakeOptions {
  /** Client auth data (default: the configured one; `null` for none). */
  readonly clientAuth?: AuthData | null;
  readonly clientReq?: number;
  readonly serverReq?: number;
  /** `true` (default): *_ALLOCATE_MEMORY; a number: caller-sized output buffers of that many bytes. */
  readonly output?: true | number;
  readonly deferComplete?: boolean;
  readonly clientCred?: CredHandle;
  readonly serverCred?: CredHandle;
}

/** An established pair. */
export interface Pair {
  readonly client: CtxtHandle;
  readonly server: CtxtHandle;
  readonly driver: HandshakeDriver;
}

/** One check's world. Everything it creates is released by {@link dispose}. */
export class Harness {
  readonly options: ConformanceOptions;
  readonly config: ResolvedConfig;
  /** Declarations of the package under test (set by the runner once loaded). */
  probe!: Probe;
  readonly monitor: Monitor;
  readonly tracker = new TableTracker();
  /** The dispatcher the client side calls, and the one the server side calls (the same one without a peer). */
  clientSspi!: SspiDispatcher;
  serverSspi!: SspiDispatcher;
  /** The package under test as registered (tables masked to their declared versions). */
  pkg!: RegisteredPackage;
  /** Its index within the module (for the raw tables). */
  index = 0;
  clientPackage = '';
  serverPackage = '';
  readonly #contexts: CtxtHandle[] = [];
  readonly #creds: { sspi: SspiDispatcher; cred: CredHandle }[] = [];

  constructor(options: ConformanceOptions, config: ResolvedConfig, monitor: Monitor) {
    this.options = options;
    this.config = config;
    this.monitor = monitor;
  }

  /** Loads the module (and the peer) into fresh registries. Throws what the registry throws. */
  async load(): Promise<this> {
    const registry = new Registry();
    const report = await registry.load(
      trackModule(this.options.module, this.tracker, this.monitor),
      this.options.source ?? 'module under test',
    );
    const wanted = this.config.packageName;
    const pkg = wanted === undefined ? report.packages[0] : registry.get(wanted);
    if (!pkg)
      throw new Error(
        wanted === undefined ? 'the module registered no package' : `the module has no package named "${wanted}"`,
      );
    this.pkg = pkg;
    this.index = report.packages.indexOf(pkg);
    const sspi = new SspiDispatcher(registry, { onPackageFault: (f) => this.monitor.fault(f.operation, f.error) });
    this.clientSspi = sspi;
    this.serverSspi = sspi;
    this.clientPackage = pkg.name;
    this.serverPackage = pkg.name;
    if (this.options.peer) {
      const peerRegistry = new Registry();
      await peerRegistry.load(this.options.peer, 'peer');
      const peerName = this.config.peerPackageName ?? pkg.name;
      if (!peerRegistry.get(peerName)) throw new Error(`the peer module has no package named "${peerName}"`);
      const peerSspi = new SspiDispatcher(peerRegistry, {
        onPackageFault: (f) => this.monitor.fault(`peer ${f.operation}`, f.error),
      });
      if (this.options.peerRole === 'client') {
        this.clientSspi = peerSspi;
        this.clientPackage = peerName;
      } else {
        this.serverSspi = peerSspi;
        this.serverPackage = peerName;
      }
    }
    return this;
  }

  /** The package's SecPkgInfo as the registry cached it. */
  get info(): SecPkgInfo {
    return this.pkg.info;
  }

  /** A TOKEN buffer size no sane signature or trailer exceeds (checks other than SIZES use it). */
  get generous(): number {
    return Math.max(1024, this.info.maxToken);
  }

  /** Whether the package declares every bit of `flags`. */
  declares(flags: number): boolean {
    return (this.info.capabilities & flags) === flags;
  }

  /** Default ISC_REQ_* of the client. */
  get clientReq(): number {
    const mutual = this.declares(SecPkgFlag.MUTUAL_AUTH) ? IscReq.MUTUAL_AUTH : 0;
    return (
      this.config.clientReq ??
      IscReq.CONNECTION |
        IscReq.INTEGRITY |
        IscReq.CONFIDENTIALITY |
        IscReq.REPLAY_DETECT |
        IscReq.SEQUENCE_DETECT |
        mutual
    );
  }

  /** Default ASC_REQ_* of the server. */
  get serverReq(): number {
    return (
      this.config.serverReq ??
      AscReq.CONNECTION | AscReq.INTEGRITY | AscReq.CONFIDENTIALITY | AscReq.REPLAY_DETECT | AscReq.SEQUENCE_DETECT
    );
  }

  /** AcquireCredentialsHandle as the configured side; the raw result. */
  async acquire(
    side: 'client' | 'server',
    use: number,
    authData?: AuthData | null,
  ): Promise<{ status: number; credential?: CredHandle }> {
    const sspi = side === 'client' ? this.clientSspi : this.serverSspi;
    const auth =
      authData === null
        ? undefined
        : (authData ?? (side === 'client' ? this.config.clientAuth : this.config.serverAuth));
    const principal = side === 'client' ? this.config.clientPrincipal : this.config.serverPrincipal;
    const r = await sspi.acquireCredentialsHandle({
      package: side === 'client' ? this.clientPackage : this.serverPackage,
      credentialUse: use,
      ...(principal !== undefined ? { principal } : {}),
      ...(auth !== undefined ? { authData: auth } : {}),
    });
    if (r.credential) this.#creds.push({ sspi, cred: r.credential });
    return r;
  }

  /** A credential for one side, or a failed check. */
  async credential(side: 'client' | 'server', authData?: AuthData | null): Promise<CredHandle> {
    const r = await this.acquire(side, side === 'client' ? SecPkgCred.OUTBOUND : SecPkgCred.INBOUND, authData);
    if (!isSuccess(r.status) || !r.credential)
      throw new CheckFailure(`AcquireCredentialsHandle (${side})`, statusName(r.status), 'SEC_E_OK');
    return r.credential;
  }

  /** A handshake driver, not yet run (credentials acquired here unless given). */
  async handshake(o: HandshakeOptions = {}): Promise<HandshakeDriver> {
    const setup: HandshakeSetup = {
      clientSspi: this.clientSspi,
      serverSspi: this.serverSspi,
      clientCred: o.clientCred ?? (await this.credential('client', o.clientAuth)),
      serverCred: o.serverCred ?? (await this.credential('server')),
      targetName: this.config.targetName,
      clientReq: (o.clientReq ?? this.clientReq) | ((o.output ?? true) === true ? IscReq.ALLOCATE_MEMORY : 0),
      serverReq: (o.serverReq ?? this.serverReq) | ((o.output ?? true) === true ? AscReq.ALLOCATE_MEMORY : 0),
      output: o.output ?? true,
      monitor: this.monitor,
      ...(o.deferComplete ? { deferComplete: true } : {}),
    };
    const d = new HandshakeDriver(setup);
    const track = d.step.bind(d);
    d.step = async (input?: Uint8Array) => {
      const before = [d.client, d.server];
      await track(...(input === undefined ? [] : [input]));
      for (const [i, c] of [d.client, d.server].entries())
        if (c && c !== before[i] && !this.#contexts.includes(c)) this.#contexts.push(c);
    };
    return d;
  }

  /** A completed handshake, or a failed check naming the leg that broke. */
  async pair(o: HandshakeOptions = {}): Promise<Pair> {
    const d = await (await this.handshake(o)).run();
    if (d.state === 'failed')
      throw new CheckFailure(
        `handshake (${d.failed!.side} leg ${d.failed!.leg})`,
        d.describe(),
        'a completed handshake',
      );
    if (d.state === 'illegal')
      throw new CheckFailure(
        'handshake status sequence',
        `${d.describe()}: ${d.illegal!}`,
        'a legal SSPI status sequence',
      );
    return { client: d.client!, server: d.server!, driver: d };
  }

  /** Registers a context the check obtained another way (import), so dispose deletes it. */
  adopt(ctx: CtxtHandle): CtxtHandle {
    this.#contexts.push(ctx);
    return ctx;
  }

  /** The dispatcher a context belongs to. */
  sspiOf(ctx: CtxtHandle): SspiDispatcher {
    return ctx.side === 'client' ? this.clientSspi : this.serverSspi;
  }

  /** Skips unless the configured credentials name a user the server should report. */
  async expectedUser(): Promise<string> {
    if (this.config.expectedUser) return this.config.expectedUser;
    const cred = await this.credential('client');
    const r = this.clientSspi.queryCredentialsAttributes(cred, 1);
    const name = isSuccess(r.status) ? (r.buffer as { userName?: unknown } | undefined)?.userName : undefined;
    if (typeof name === 'string' && name.length > 0) return name.slice(name.lastIndexOf('\\') + 1);
    throw new CheckSkip('the client user is unknown: give client.authData.user or client.expectedUser');
  }

  /**
   * Deletes every context and frees every credential this harness created. The registries are not
   * shut down: a module's default instance may be loaded again by the next check.
   */
  dispose(): void {
    for (const c of this.#contexts) if (c.isValid) this.sspiOf(c).deleteSecurityContext(c);
    for (const { sspi, cred } of this.#creds) if (cred.isValid) sspi.freeCredentialsHandle(cred);
  }
}
