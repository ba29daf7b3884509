/**
 * The demo configuration `sspkit serve` runs: which schemes it offers, with which embedded demo
 * accounts (public fixtures, printed at start), and Kerberos/Negotiate from a lab's keytab.
 */
import { existsSync } from 'node:fs';
import type { SspiDispatcher } from '@sspkit/core';
import { MemoryUserStore, NonceIssuer } from '@sspkit/digest';
import type { DigestAlgorithmName } from '@sspkit/digest';
import type { SchemeOptions } from '@sspkit/http';
import { InMemoryAccountStore } from '@sspkit/ntlm';

export const SERVE_SCHEMES = ['negotiate', 'ntlm', 'kerberos', 'digest'] as const;
export type ServeScheme = (typeof SERVE_SCHEMES)[number];

/** Public demo accounts, the same ones `sspkit handshake` uses. */
export const SERVE_ACCOUNTS = {
  ntlm: [
    { domain: 'SSPKIT', user: 'alice', password: 'alice-password' },
    { domain: 'SSPKIT', user: 'bob', password: 'bob-password' },
  ],
  digestRealm: 'sspkit',
  digest: [
    { user: 'alice', password: 'alice-password' },
    { user: 'bob', password: 'bob-password' },
  ],
} as const;

// Offered in this order: SHA-256 first for clients that take the first they support (RFC 7616 §3.7),
// MD5 for the many that only know it.
const DIGEST_ALGORITHMS: readonly DigestAlgorithmName[] = ['SHA-256', 'MD5'];

/** One verifying Digest credential and one challenge per algorithm, sharing users, nonces and opaque. */
export function demoDigestScheme(algorithms: readonly DigestAlgorithmName[] = DIGEST_ALGORITHMS): SchemeOptions {
  const realm = SERVE_ACCOUNTS.digestRealm;
  const base = {
    kind: 'digest-server',
    realm,
    users: new MemoryUserStore(SERVE_ACCOUNTS.digest.map((a) => ({ username: a.user, realm, password: a.password }))),
    nonces: new NonceIssuer(),
    opaque: 'sspkit-serve',
  };
  return {
    scheme: 'Digest',
    authData: { ...base, acceptAlgorithms: algorithms },
    challengeAuthData: algorithms.map((algorithm) => ({ ...base, algorithm })),
  };
}

export function demoNtlmScheme(): SchemeOptions {
  const accounts = new InMemoryAccountStore();
  for (const a of SERVE_ACCOUNTS.ntlm) accounts.addPassword(a.domain, a.user, a.password);
  return { scheme: 'NTLM', authData: { accounts } };
}

/** The schemes to offer, in the order asked; Kerberos/Negotiate only where the package is loaded. */
export function demoSchemes(
  sspi: SspiDispatcher,
  wanted: readonly ServeScheme[],
): { schemes: SchemeOptions[]; skipped: { scheme: string; reason: string }[] } {
  const schemes: SchemeOptions[] = [];
  const skipped: { scheme: string; reason: string }[] = [];
  for (const w of wanted) {
    if (w === 'ntlm') schemes.push(demoNtlmScheme());
    else if (w === 'digest') schemes.push(demoDigestScheme());
    else {
      const name = w === 'kerberos' ? 'Kerberos' : 'Negotiate';
      const keytab = process.env['KRB5_KTNAME'] ?? (existsSync('/etc/krb5.keytab') ? '/etc/krb5.keytab' : undefined);
      if (sspi.querySecurityPackageInfo(name).packageInfo === undefined)
        skipped.push({ scheme: name, reason: `package ${name} not available on this machine` });
      // Without a keytab the acceptor has no key to decrypt a ticket with (and MIT may wait on DNS
      // looking for one): not offered rather than a server that can only fail.
      else if (keytab === undefined) skipped.push({ scheme: name, reason: 'no keytab (start a lab: sspkit lab up)' });
      // The acceptor uses the environment's keytab (KRB5_KTNAME: the lab's, after `sspkit lab up`).
      else schemes.push({ scheme: name });
    }
  }
  return { schemes, skipped };
}

export function parseSchemes(list: string): ServeScheme[] {
  const out: ServeScheme[] = [];
  for (const raw of list.split(',')) {
    const s = raw.trim().toLowerCase();
    if (s === '') continue;
    if (!(SERVE_SCHEMES as readonly string[]).includes(s))
      throw new Error(`unknown scheme ${JSON.stringify(raw)} (known: ${SERVE_SCHEMES.join(', ')})`);
    if (!out.includes(s as ServeScheme)) out.push(s as ServeScheme);
  }
  if (out.length === 0) throw new Error('no scheme given');
  return out;
}
