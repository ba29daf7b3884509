/**
 * The few libkrb5 functions the GSSAPI lacks: ccache copies for service-ticket pins, and the
 * default client keytab probe that decides whether acquiring a credential can reach a KDC.
 */
import { firstUsable } from './koffi.js';
import { gssLibrary } from './library.js';
import type { GssLibrary } from './library.js';
import { readPtr } from './memory.js';

/** The libkrb5 functions sspkit uses, bound once, with one krb5_context (main thread only). */
export interface Krb5 {
  readonly ctx: bigint;
  // krb5_error_code krb5_cc_new_unique(krb5_context, const char *type, const char *hint, krb5_ccache *id)
  readonly newUnique: (ctx: bigint, type: string, hint: null, out: Buffer) => number;
  // krb5_error_code krb5_cc_initialize(krb5_context, krb5_ccache, krb5_principal)
  readonly initialize: (ctx: bigint, cc: bigint, princ: bigint) => number;
  // krb5_error_code krb5_cc_retrieve_cred(krb5_context, krb5_ccache, krb5_flags, krb5_creds *mcreds, krb5_creds *creds)
  readonly retrieve: (ctx: bigint, cc: bigint, flags: number, mcreds: Buffer, creds: Buffer) => number;
  // krb5_error_code krb5_cc_store_cred(krb5_context, krb5_ccache, krb5_creds *)
  readonly store: (ctx: bigint, cc: bigint, creds: Buffer) => number;
  // krb5_error_code krb5_cc_destroy(krb5_context, krb5_ccache)
  readonly destroy: (ctx: bigint, cc: bigint) => number;
  // const char *krb5_cc_get_name(krb5_context, krb5_ccache)
  readonly getName: (ctx: bigint, cc: bigint) => string;
  // krb5_error_code krb5_parse_name(krb5_context, const char *name, krb5_principal *out)
  readonly parseName: (ctx: bigint, name: string, out: Buffer) => number;
  // void krb5_free_principal(krb5_context, krb5_principal)
  readonly freePrincipal: (ctx: bigint, princ: bigint) => void;
  // void krb5_free_cred_contents(krb5_context, krb5_creds *)
  readonly freeCredContents: (ctx: bigint, creds: Buffer) => void;
  // krb5_error_code krb5_kt_client_default(krb5_context, krb5_keytab *keytab_out)
  readonly ktClientDefault: (ctx: bigint, out: Buffer) => number;
  // krb5_error_code krb5_kt_have_content(krb5_context, krb5_keytab) — 0 when it holds a key
  readonly ktHaveContent: (ctx: bigint, kt: bigint) => number;
  // krb5_error_code krb5_kt_close(krb5_context, krb5_keytab)
  readonly ktClose: (ctx: bigint, kt: bigint) => number;
  // OM_uint32 gss_krb5_copy_ccache(OM_uint32 *minor, gss_cred_id_t cred, krb5_ccache out_ccache), async
  readonly copyCcache: (minor: Buffer, cred: bigint, cc: bigint, done: (err: unknown, major: number) => void) => void;
}

const KRB5_CANDIDATES = ['libkrb5.so.3', 'libkrb5.so', 'libkrb5.3.3.dylib'];
let krb5: Krb5 | undefined;

/** libkrb5's functions and one krb5_context for them (used on the main thread only). */
export function bindKrb5(lib: GssLibrary): Krb5 {
  if (krb5 !== undefined) return krb5;
  const { koffi } = lib;
  const found = firstUsable(KRB5_CANDIDATES, (name) => koffi.load(name));
  if ('reason' in found) throw new Error(`libkrb5 is not loadable: ${found.reason}`);
  const handle = found.value;
  const init = handle.func('int32_t krb5_init_context(void *ctx_out)') as (out: Buffer) => number;
  const out = Buffer.alloc(8);
  const rc = init(out);
  if (rc !== 0) throw new Error(`krb5_init_context failed (${rc})`);
  const copy = koffi.load(lib.path).func('uint32_t gss_krb5_copy_ccache(void *minor, void *cred, void *cc)');
  krb5 = {
    ctx: readPtr(out),
    newUnique: handle.func(
      'int32_t krb5_cc_new_unique(void *ctx, const char *type, const char *hint, void *out)',
    ) as Krb5['newUnique'],
    initialize: handle.func('int32_t krb5_cc_initialize(void *ctx, void *cc, void *princ)') as Krb5['initialize'],
    retrieve: handle.func(
      'int32_t krb5_cc_retrieve_cred(void *ctx, void *cc, int32_t flags, void *mcreds, void *creds)',
    ) as Krb5['retrieve'],
    store: handle.func('int32_t krb5_cc_store_cred(void *ctx, void *cc, void *creds)') as Krb5['store'],
    destroy: handle.func('int32_t krb5_cc_destroy(void *ctx, void *cc)') as Krb5['destroy'],
    getName: handle.func('const char *krb5_cc_get_name(void *ctx, void *cc)') as Krb5['getName'],
    parseName: handle.func('int32_t krb5_parse_name(void *ctx, const char *name, void *out)') as Krb5['parseName'],
    freePrincipal: handle.func('void krb5_free_principal(void *ctx, void *princ)') as Krb5['freePrincipal'],
    freeCredContents: handle.func('void krb5_free_cred_contents(void *ctx, void *creds)') as Krb5['freeCredContents'],
    ktClientDefault: handle.func('int32_t krb5_kt_client_default(void *ctx, void *out)') as Krb5['ktClientDefault'],
    ktHaveContent: handle.func('int32_t krb5_kt_have_content(void *ctx, void *kt)') as Krb5['ktHaveContent'],
    ktClose: handle.func('int32_t krb5_kt_close(void *ctx, void *kt)') as Krb5['ktClose'],
    copyCcache: (minor, cred, cc, done) => void copy.async(minor, cred, cc, done),
  };
  return krb5;
}

/**
 * A client keytab that never holds keys. MIT obtains a TGT by itself (from the client keytab) when
 * a credential's TGT is missing or due for refresh; naming this keytab rules that out, so a call
 * with the credential cannot reach a KDC.
 */
export const NO_CLIENT_KEYS = 'MEMORY:sspkit-no-client-keys';

/** Throws when a libkrb5 call failed. */
export function krb5Check(call: string, rc: number): void {
  if (rc !== 0) throw new Error(`${call} failed (krb5 error ${rc})`);
}

let probeOut: Buffer | undefined;

/**
 * True when the default client keytab (KRB5_CLIENT_KTNAME, `default_client_keytab_name`) holds
 * any key: MIT may then obtain or refresh a TGT with it, i.e. talk to a KDC, during acquisition.
 */
export function defaultClientKeytabHasKeys(): boolean {
  const k = bindKrb5(gssLibrary());
  // One out-parameter for every probe (main thread only, never nested), rather than one per call.
  const out = (probeOut ??= Buffer.alloc(8));
  if (k.ktClientDefault(k.ctx, out) !== 0) return false;
  const kt = readPtr(out);
  try {
    return k.ktHaveContent(k.ctx, kt) === 0;
  } finally {
    k.ktClose(k.ctx, kt);
  }
}
