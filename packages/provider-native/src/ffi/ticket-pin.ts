/**
 * Service-ticket pins. A first ISC leg can reach the KDC (no service ticket cached yet, an expired
 * one, a TGT to renew through a client keytab) or DNS (host-name canonicalisation), so it runs on a
 * worker thread — which costs a thread round trip per handshake even when the ticket is cached. A
 * pin removes the uncertainty instead of guessing: once a credential has obtained a ticket for a
 * target, the ticket alone is copied into a private MEMORY ccache that holds no TGT, and an
 * initiator credential is acquired over that ccache with an empty client keytab. A first leg made
 * with the pinned credential and the ticket's exact server principal (no host-based name, so no
 * canonicalisation) can only find its ticket in memory or fail: with no TGT and no keys there is
 * nothing it could ask a KDC with. Such a leg is safe to run on the main thread.
 *
 * The ccache of the credential the ticket came from is only read (on a worker thread: a KCM or
 * network-mounted ccache may wait), never modified.
 */
import { check } from './errors.js';
import { acquireCredFrom } from './creds.js';
import type { GssMech } from './creds.js';
import { inquireContext } from './context.js';
import type { NativeHandle } from './handles.js';
import { gssLibrary } from './library.js';
import { importName } from './names.js';
import { readPtr } from './memory.js';
import { localGate } from './queue.js';
import { bindKrb5, krb5Check, NO_CLIENT_KEYS } from './krb5.js';
import type { Krb5 } from './krb5.js';

/** A service ticket held in a private ccache, and what a first leg needs to use it. */
export interface TicketPin {
  /** Initiator credential over the private ccache (owned; contexts pin it). */
  readonly cred: NativeHandle;
  /** The ticket's server principal, imported as a Kerberos principal name (owned). */
  readonly target: NativeHandle;
  /** The ticket's server principal in display form. */
  readonly server: string;
  /** When the ticket ends (milliseconds since the epoch). */
  readonly endsAt: number;
  /** Releases the credential and name; the private ccache is destroyed once the credential is freed. */
  release(): void;
}

/** A new empty MEMORY ccache initialised for `client`. */
function memoryCcache(k: Krb5, client: bigint): bigint {
  const out = Buffer.alloc(8);
  krb5Check('krb5_cc_new_unique', k.newUnique(k.ctx, 'MEMORY', null, out));
  const cc = readPtr(out);
  const rc = k.initialize(k.ctx, cc, client);
  if (rc !== 0) k.destroy(k.ctx, cc);
  krb5Check('krb5_cc_initialize', rc);
  return cc;
}

/**
 * Pins the service ticket an initiator context was established with (after its first leg): reads
 * `source`'s ccache on a worker thread, keeps the one ticket, and acquires a credential over it.
 * Throws when the ticket cannot be found or copied; the caller then simply does not pin.
 */
export async function pinServiceTicket(source: NativeHandle, ctx: NativeHandle, mech: GssMech): Promise<TicketPin> {
  const lib = gssLibrary();
  const k = bindKrb5(lib);
  const { source: client, target: server } = inquireContext(ctx);
  if (client === '' || server === '' || !server.includes('@'))
    throw new Error('context names are not Kerberos principals');
  const principals: bigint[] = [];
  const parse = (name: string): bigint => {
    const out = Buffer.alloc(8);
    krb5Check('krb5_parse_name', k.parseName(k.ctx, name, out));
    const p = readPtr(out);
    principals.push(p);
    return p;
  };
  let scratch = 0n;
  let pinned = 0n;
  const layout = lib.layout.krb5Creds;
  const creds = Buffer.alloc(layout.size);
  let haveCreds = false;
  try {
    const clientPrincipal = parse(client);
    const serverPrincipal = parse(server);
    scratch = memoryCcache(k, clientPrincipal);
    const minor = Buffer.alloc(4);
    source.pin();
    let major: number;
    try {
      const cc = scratch;
      // Reading a ccache never waits on a KDC: the local lane.
      major = await localGate().run((done) => k.copyCcache(minor, source.ptr, cc, done));
    } finally {
      source.unpin();
    }
    check(lib, 'gss_krb5_copy_ccache', major, minor);
    const match = Buffer.alloc(layout.size);
    match.writeBigUInt64LE(clientPrincipal, layout.client);
    match.writeBigUInt64LE(serverPrincipal, layout.server);
    krb5Check('krb5_cc_retrieve_cred', k.retrieve(k.ctx, scratch, 0, match, creds));
    haveCreds = true;
    const endsAt = creds.readUInt32LE(layout.endtime) * 1000;
    pinned = memoryCcache(k, clientPrincipal);
    krb5Check('krb5_cc_store_cred', k.store(k.ctx, pinned, creds));
    const ccacheName = `MEMORY:${k.getName(k.ctx, pinned)}`;
    const acquired = await acquireCredFrom({
      usage: 'INITIATE',
      mech,
      store: { ccache: ccacheName, client_keytab: NO_CLIENT_KEYS },
    });
    const cc = pinned;
    pinned = 0n;
    acquired.cred.afterRelease(() => void k.destroy(k.ctx, cc));
    let target: NativeHandle;
    try {
      target = importName(server, 'principal');
    } catch (err) {
      acquired.cred.release();
      throw err;
    }
    return {
      cred: acquired.cred,
      target,
      server,
      endsAt,
      release: () => {
        acquired.cred.release();
        target.release();
      },
    };
  } finally {
    // The scratch copy held the TGT too: destroyed at once (MIT zeroes the keys it frees).
    if (haveCreds) k.freeCredContents(k.ctx, creds);
    if (scratch !== 0n) k.destroy(k.ctx, scratch);
    if (pinned !== 0n) k.destroy(k.ctx, pinned);
    for (const p of principals) k.freePrincipal(k.ctx, p);
  }
}
