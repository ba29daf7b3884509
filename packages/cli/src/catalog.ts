/**
 * The packages the `sspkit` command knows, and how its `handshake` command turns --user,
 * --password and --target into client and server credentials for each. Third-party modules
 * come in with --module.
 */
import type { AuthData, SecurityPackageModule } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { MemoryUserStore, createDigestModule } from '@sspkit/digest';
import { createNegotiateModule } from '@sspkit/negotiate';
import { AscReq, IscReq } from '@sspkit/core';
import { isAvailable, kerberosModule, negotiateModule } from '@sspkit/provider-native';
import {
  MAPPED_PACKAGES,
  createWindowsPackage,
  isAvailable as windowsAvailable,
  renamePackage,
  sspkitPackageName,
  systemPackageName,
} from '@sspkit/provider-windows';
import type { NamingPolicy } from '@sspkit/provider-windows';

/** What `handshake` was told on the command line. */
export interface HandshakeInputs {
  user?: string;
  password?: string;
  domain?: string;
  target?: string;
}

/** Which implementation is behind a package name (`sspkit packages` shows it). */
export type Provider = 'sspkit' | 'mit-gssapi' | 'windows';

/** A package the CLI can load, plus its handshake profile. */
export interface CatalogEntry {
  readonly name: string;
  readonly provider: Provider;
  readonly load: () => Promise<SecurityPackageModule | undefined>;
  /** Client and server AcquireCredentialsHandle auth data for a handshake with both ends here. */
  readonly credentials: (inputs: HandshakeInputs) => { client?: AuthData; server?: AuthData; target: string };
  /** ISC_REQ_* / ASC_REQ_* bits the package needs for a meaningful demo (Digest: HTTP mode). */
  readonly clientReq?: number;
  readonly serverReq?: number;
}

/** Embedded demo defaults: the Mock's own test user. */
export const DEMO = { user: 'alice', password: 'alice-password', domain: 'MOCK', target: 'host/sspkit.demo' } as const;

/**
 * Where Windows' own packages are usable (secur32.dll through koffi), they take their Windows names
 * and every one of sspkit's is offered as sspkit-<name> (sspkit-NTLM, sspkit-Negotiate, sspkit-Mock...);
 * elsewhere sspkit's keep their names and the Windows ones are listed as Windows-<name>, not offered
 * (packages/provider-windows/README.md, "Names").
 */
function namingPolicy(): NamingPolicy {
  return windowsAvailable().available ? 'windows' : 'prefixed';
}

export function catalog(policy: NamingPolicy = namingPolicy()): CatalogEntry[] {
  const ours = (entry: CatalogEntry): CatalogEntry => {
    const name = sspkitPackageName(entry.name, policy);
    if (name === entry.name) return entry;
    return {
      ...entry,
      name,
      load: async () => {
        const m = await entry.load();
        return m && renamePackage(m, [name]);
      },
    };
  };
  return [...sspkitEntries().map(ours), ...windowsEntries(policy)];
}

/** Windows' packages: the current user's logon by default, or --user/--password/--domain. */
function windowsEntries(policy: NamingPolicy): CatalogEntry[] {
  return MAPPED_PACKAGES.map((windowsName): CatalogEntry => ({
    name: systemPackageName(windowsName, policy),
    provider: 'windows',
    load: async () => {
      const a = windowsAvailable();
      if (!a.available) throw new Error(a.reason);
      return createWindowsPackage(windowsName, { naming: policy }).module;
    },
    credentials: (i) => ({
      ...(i.user !== undefined ? { client: { user: i.user, domain: i.domain ?? '', password: i.password ?? '' } } : {}),
      target: i.target ?? 'HTTP/localhost',
    }),
  }));
}

function sspkitEntries(): CatalogEntry[] {
  return [
    {
      name: 'Mock',
      provider: 'sspkit',
      load: async () => new MockPackage().module,
      credentials: (i) => ({
        client: { user: i.user ?? DEMO.user, domain: i.domain ?? DEMO.domain, password: i.password ?? DEMO.password },
        target: i.target ?? DEMO.target,
      }),
    },
    {
      name: 'NTLM',
      provider: 'sspkit',
      // The acceptor's accounts are the one user given on the command line (or the demo user).
      // Client and server run in this one process, which is the reflection pattern NTLM refuses
      // by default: the demo opts out.
      load: async () => createNtlmModule({ allowReflection: true }),
      credentials: (i) => {
        const user = i.user ?? DEMO.user;
        const domain = i.domain ?? DEMO.domain;
        const password = i.password ?? DEMO.password;
        return {
          client: { user, domain, password },
          server: { accounts: new InMemoryAccountStore().addPassword(domain, user, password) },
          target: i.target ?? 'HTTP/sspkit.demo',
        };
      },
    },
    {
      name: 'Negotiate',
      provider: 'sspkit',
      // Pure TypeScript: it composes Kerberos (when the native binding and a lab are there) and NTLM.
      load: async () => createNegotiateModule(),
      credentials: (i) => {
        const user = i.user ?? DEMO.user;
        const domain = i.domain ?? DEMO.domain;
        const password = i.password ?? DEMO.password;
        // Kerberos: the environment's ccache and keytab (the lab's, after `sspkit lab up`), or the
        // given user's password; NTLM: the given user or the embedded demo account on both sides.
        const kerberos = i.user !== undefined ? { user, domain, password } : {};
        return {
          client: { packages: { Kerberos: kerberos, NTLM: { user, domain, password } } },
          server: {
            packages: {
              Kerberos: {},
              NTLM: { accounts: new InMemoryAccountStore().addPassword(domain, user, password) },
            },
          },
          target: i.target ?? 'HTTP/localhost',
        };
      },
    },
    ...(['Kerberos', 'Negotiate-MIT'] as const).map((name): CatalogEntry => ({
      name,
      provider: 'mit-gssapi',
      // Not offered (with the reason) where libgssapi_krb5 or koffi is missing.
      load: async () => {
        const a = isAvailable();
        if (!a.available) throw new Error(a.reason);
        return name === 'Kerberos' ? kerberosModule : negotiateModule;
      },
      // Default: the ccache and keytab of the environment (the lab's, after `sspkit lab up`).
      credentials: (i) => ({
        ...(i.user !== undefined
          ? { client: { user: i.user, domain: i.domain ?? '', password: i.password ?? '' } }
          : {}),
        target: i.target ?? 'HTTP/localhost',
      }),
    })),
    {
      name: 'Digest',
      provider: 'sspkit',
      // HTTP mode (RFC 7616): the server challenges first, and verifies through CompleteAuthToken.
      load: async () => createDigestModule(),
      clientReq: IscReq.HTTP,
      serverReq: AscReq.HTTP,
      credentials: (i) => {
        const target = i.target ?? '/index.html';
        if (i.user === undefined) return { target }; // the module's in-memory demo user, alice
        const realm = i.domain ?? 'sspkit';
        const identity = { user: i.user, domain: realm, password: i.password ?? '' };
        // A handshake with both ends here has no HTTP request whose URI the server could bind the
        // response to: the demo's server record opts out of requiring it (`allowMissingUri`).
        const users = new MemoryUserStore([{ username: i.user, realm, password: i.password ?? '' }]);
        return { client: identity, server: { kind: 'digest-server', realm, users, allowMissingUri: true }, target };
      },
    },
  ];
}
