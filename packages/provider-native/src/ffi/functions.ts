/**
 * The GSSAPI and libc functions sspkit calls, declared with raw pointer parameters: every
 * `gss_buffer_t`, output handle and status word is a caller-laid-out Buffer (see layout.ts), so
 * no call marshals a JS object. Each entry keeps the C prototype in its comment.
 */
import type { Koffi } from './koffi.js';

/** A native address (koffi 3 pointers are untyped BigInts) or a Buffer passed by address. */
export type Ptr = bigint | Buffer | null;

type Fn<A extends unknown[]> = (...args: A) => number;

/** Synchronous entry points, by C name. Every one returns an OM_uint32 major status. */
export interface GssFunctions {
  // OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_t input_name, gss_OID name_type, gss_name_t *output_name)
  readonly gss_import_name: Fn<[Buffer, Buffer, Ptr, Buffer]>;
  // OM_uint32 gss_display_name(OM_uint32 *minor, gss_name_t name, gss_buffer_t output, gss_OID *output_type)
  readonly gss_display_name: Fn<[Buffer, Ptr, Buffer, Ptr]>;
  // OM_uint32 gss_release_name(OM_uint32 *minor, gss_name_t *name)
  readonly gss_release_name: Fn<[Ptr, Ptr]>;
  // OM_uint32 gss_localname(OM_uint32 *minor, const gss_name_t name, gss_const_OID mech, gss_buffer_t localname)
  readonly gss_localname: Fn<[Buffer, Ptr, Ptr, Buffer]>;
  // OM_uint32 gss_inquire_name(OM_uint32 *minor, gss_name_t name, int *name_is_MN, gss_OID *MN_mech,
  //   gss_buffer_set_t *attrs)
  readonly gss_inquire_name: Fn<[Buffer, Ptr, Ptr, Ptr, Buffer]>;
  // OM_uint32 gss_get_name_attribute(OM_uint32 *minor, gss_name_t name, gss_buffer_t attr, int *authenticated,
  //   int *complete, gss_buffer_t value, gss_buffer_t display_value, int *more)
  readonly gss_get_name_attribute: Fn<[Buffer, Ptr, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer]>;
  // OM_uint32 gss_set_neg_mechs(OM_uint32 *minor, gss_cred_id_t cred, const gss_OID_set mech_list)
  readonly gss_set_neg_mechs: Fn<[Buffer, Ptr, Ptr]>;
  // OM_uint32 gss_release_cred(OM_uint32 *minor, gss_cred_id_t *cred)
  readonly gss_release_cred: Fn<[Ptr, Ptr]>;
  // OM_uint32 gss_inquire_cred(OM_uint32 *minor, gss_cred_id_t cred, gss_name_t *name, OM_uint32 *lifetime,
  //                            gss_cred_usage_t *usage, gss_OID_set *mechs)
  readonly gss_inquire_cred: Fn<[Buffer, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_accept_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_cred_id_t cred, gss_buffer_t input,
  //   gss_channel_bindings_t cb, gss_name_t *src_name, gss_OID *mech, gss_buffer_t output, OM_uint32 *ret_flags,
  //   OM_uint32 *time_rec, gss_cred_id_t *delegated)
  readonly gss_accept_sec_context: Fn<[Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // Same prototype as the async entry below; used when the store is local (see creds.ts).
  readonly gss_acquire_cred_from: Fn<[Ptr, Ptr, number, Ptr, number, Ptr, Ptr, Ptr, Ptr]>;
  // Same prototype as the async entry below; used for legs that only process the peer's token.
  readonly gss_init_sec_context: Fn<[Ptr, Ptr, Ptr, Ptr, Ptr, number, number, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_buffer_t output_token)
  readonly gss_delete_sec_context: Fn<[Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_inquire_context(OM_uint32 *minor, gss_ctx_id_t ctx, gss_name_t *src, gss_name_t *targ,
  //   OM_uint32 *lifetime, gss_OID *mech, OM_uint32 *flags, int *locally_initiated, int *open)
  readonly gss_inquire_context: Fn<[Buffer, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_export_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_buffer_t token)
  readonly gss_export_sec_context: Fn<[Buffer, Buffer, Buffer]>;
  // OM_uint32 gss_import_sec_context(OM_uint32 *minor, gss_buffer_t token, gss_ctx_id_t *ctx)
  readonly gss_import_sec_context: Fn<[Buffer, Buffer, Buffer]>;
  // OM_uint32 gss_get_mic(OM_uint32 *minor, gss_ctx_id_t ctx, gss_qop_t qop, gss_buffer_t msg, gss_buffer_t token)
  readonly gss_get_mic: Fn<[Ptr, Ptr, number, Ptr, Ptr]>;
  // OM_uint32 gss_verify_mic(OM_uint32 *minor, gss_ctx_id_t ctx, gss_buffer_t msg, gss_buffer_t token, gss_qop_t *qop)
  readonly gss_verify_mic: Fn<[Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_wrap(OM_uint32 *minor, gss_ctx_id_t ctx, int conf_req, gss_qop_t qop, gss_buffer_t in,
  //   int *conf_state, gss_buffer_t out)
  readonly gss_wrap: Fn<[Ptr, Ptr, number, number, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_unwrap(OM_uint32 *minor, gss_ctx_id_t ctx, gss_buffer_t in, gss_buffer_t out, int *conf_state,
  //   gss_qop_t *qop)
  readonly gss_unwrap: Fn<[Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_wrap_size_limit(OM_uint32 *minor, gss_ctx_id_t ctx, int conf_req, gss_qop_t qop,
  //   OM_uint32 req_output_size, OM_uint32 *max_input_size)
  readonly gss_wrap_size_limit: Fn<[Ptr, Ptr, number, number, number, Ptr]>;
  // OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int status_type, gss_OID mech,
  //   OM_uint32 *message_context, gss_buffer_t status_string)
  readonly gss_display_status: Fn<[Buffer, number, number, Ptr, Buffer, Buffer]>;
  // OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_t buffer)
  readonly gss_release_buffer: Fn<[Ptr, Ptr]>;
  // OM_uint32 gss_release_oid_set(OM_uint32 *minor, gss_OID_set *set)
  readonly gss_release_oid_set: Fn<[Buffer, Buffer]>;
  // OM_uint32 gss_inquire_sec_context_by_oid(OM_uint32 *minor, gss_ctx_id_t ctx, gss_OID oid, gss_buffer_set_t *set)
  readonly gss_inquire_sec_context_by_oid: Fn<[Buffer, Ptr, Ptr, Buffer]>;
  // OM_uint32 gss_release_buffer_set(OM_uint32 *minor, gss_buffer_set_t *set)
  readonly gss_release_buffer_set: Fn<[Buffer, Buffer]>;
  // OM_uint32 gss_krb5_free_lucid_sec_context(OM_uint32 *minor, void *kctx)
  readonly gss_krb5_free_lucid_sec_context: Fn<[Buffer, Ptr]>;
  // OM_uint32 gss_wrap_iov(OM_uint32 *minor, gss_ctx_id_t ctx, int conf_req, gss_qop_t qop, int *conf_state,
  //   gss_iov_buffer_desc *iov, int iov_count)
  readonly gss_wrap_iov: Fn<[Ptr, Ptr, number, number, Ptr, Ptr, number]>;
  // OM_uint32 gss_unwrap_iov(OM_uint32 *minor, gss_ctx_id_t ctx, int *conf_state, gss_qop_t *qop,
  //   gss_iov_buffer_desc *iov, int iov_count)
  readonly gss_unwrap_iov: Fn<[Ptr, Ptr, Ptr, Ptr, Ptr, number]>;
  // OM_uint32 gss_wrap_iov_length(OM_uint32 *minor, gss_ctx_id_t ctx, int conf_req, gss_qop_t qop, int *conf_state,
  //   gss_iov_buffer_desc *iov, int iov_count)
  readonly gss_wrap_iov_length: Fn<[Ptr, Ptr, number, number, Ptr, Ptr, number]>;
}

/** Entry points that can wait on the KDC, called through koffi's `.async` (worker threads). */
export interface GssAsyncFunctions {
  // OM_uint32 gss_acquire_cred_from(OM_uint32 *minor, gss_name_t name, OM_uint32 time_req, gss_OID_set mechs,
  //   gss_cred_usage_t usage, gss_const_key_value_set_t store, gss_cred_id_t *cred, gss_OID_set *actual, OM_uint32 *time_rec)
  readonly gss_acquire_cred_from: AsyncFn<[Ptr, Ptr, number, Ptr, number, Ptr, Ptr, Ptr, Ptr]>;
  // OM_uint32 gss_acquire_cred_with_password(OM_uint32 *minor, gss_name_t name, gss_buffer_t password,
  //   OM_uint32 time_req, gss_OID_set mechs, gss_cred_usage_t usage, gss_cred_id_t *cred, gss_OID_set *actual, OM_uint32 *time_rec)
  readonly gss_acquire_cred_with_password: AsyncFn<[Buffer, Ptr, Buffer, number, Ptr, number, Buffer, Ptr, Buffer]>;
  // OM_uint32 gss_init_sec_context(OM_uint32 *minor, gss_cred_id_t cred, gss_ctx_id_t *ctx, gss_name_t target,
  //   gss_OID mech, OM_uint32 req_flags, OM_uint32 time_req, gss_channel_bindings_t cb, gss_buffer_t input,
  //   gss_OID *actual_mech, gss_buffer_t output, OM_uint32 *ret_flags, OM_uint32 *time_rec)
  readonly gss_init_sec_context: AsyncFn<[Ptr, Ptr, Ptr, Ptr, Ptr, number, number, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // (same prototype as the synchronous entry)
  readonly gss_accept_sec_context: AsyncFn<[Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // (same prototype as the synchronous entry; a localauth plugin such as SSSD's may ask a daemon)
  readonly gss_localname: AsyncFn<[Buffer, Ptr, Ptr, Buffer]>;
}

/** A koffi `.async` call: same arguments, completion through a Node-style callback. */
export type AsyncFn<A extends unknown[]> = (...args: [...A, (err: unknown, major: number) => void]) => void;

/** The libc helpers: copying out of native memory without koffi.view (which grows RSS per call). */
export interface LibcFunctions {
  // void *memcpy(void *dest, const void *src, size_t n)
  readonly memcpy: (dest: Ptr, src: Ptr, n: number) => bigint;
  // size_t strlen(const char *s)
  readonly strlen: (s: Ptr) => number;
}

const SYNC_PROTOTYPES: Readonly<Record<keyof GssFunctions, string>> = {
  gss_import_name: 'uint32_t gss_import_name(void *minor, void *input_name, void *name_type, void *output_name)',
  gss_display_name: 'uint32_t gss_display_name(void *minor, void *name, void *output, void *output_type)',
  gss_release_name: 'uint32_t gss_release_name(void *minor, void *name)',
  gss_localname: 'uint32_t gss_localname(void *minor, void *name, void *mech, void *localname)',
  gss_inquire_name: 'uint32_t gss_inquire_name(void *minor, void *name, void *is_mn, void *mn_mech, void *attrs)',
  gss_get_name_attribute:
    'uint32_t gss_get_name_attribute(void *minor, void *name, void *attr, void *authenticated, void *complete, void *value, void *display_value, void *more)',
  gss_set_neg_mechs: 'uint32_t gss_set_neg_mechs(void *minor, void *cred, void *mechs)',
  gss_release_cred: 'uint32_t gss_release_cred(void *minor, void *cred)',
  gss_inquire_cred:
    'uint32_t gss_inquire_cred(void *minor, void *cred, void *name, void *lifetime, void *usage, void *mechs)',
  gss_accept_sec_context:
    'uint32_t gss_accept_sec_context(void *minor, void *ctx, void *cred, void *input, void *cb, void *src_name, void *mech, void *output, void *ret_flags, void *time_rec, void *delegated)',
  gss_acquire_cred_from:
    'uint32_t gss_acquire_cred_from(void *minor, void *name, uint32_t time_req, void *mechs, int usage, void *store, void *cred, void *actual, void *time_rec)',
  gss_init_sec_context:
    'uint32_t gss_init_sec_context(void *minor, void *cred, void *ctx, void *target, void *mech, uint32_t req_flags, uint32_t time_req, void *cb, void *input, void *actual_mech, void *output, void *ret_flags, void *time_rec)',
  gss_delete_sec_context: 'uint32_t gss_delete_sec_context(void *minor, void *ctx, void *output)',
  gss_inquire_context:
    'uint32_t gss_inquire_context(void *minor, void *ctx, void *src, void *targ, void *lifetime, void *mech, void *flags, void *local, void *open)',
  gss_export_sec_context: 'uint32_t gss_export_sec_context(void *minor, void *ctx, void *token)',
  gss_import_sec_context: 'uint32_t gss_import_sec_context(void *minor, void *token, void *ctx)',
  gss_get_mic: 'uint32_t gss_get_mic(void *minor, void *ctx, uint32_t qop, void *msg, void *token)',
  gss_verify_mic: 'uint32_t gss_verify_mic(void *minor, void *ctx, void *msg, void *token, void *qop)',
  gss_wrap:
    'uint32_t gss_wrap(void *minor, void *ctx, int conf_req, uint32_t qop, void *input, void *conf_state, void *output)',
  gss_unwrap: 'uint32_t gss_unwrap(void *minor, void *ctx, void *input, void *output, void *conf_state, void *qop)',
  gss_wrap_size_limit:
    'uint32_t gss_wrap_size_limit(void *minor, void *ctx, int conf_req, uint32_t qop, uint32_t req_output, void *max_input)',
  gss_display_status:
    'uint32_t gss_display_status(void *minor, uint32_t status, int status_type, void *mech, void *message_context, void *string)',
  gss_release_buffer: 'uint32_t gss_release_buffer(void *minor, void *buffer)',
  gss_release_oid_set: 'uint32_t gss_release_oid_set(void *minor, void *set)',
  gss_inquire_sec_context_by_oid:
    'uint32_t gss_inquire_sec_context_by_oid(void *minor, void *ctx, void *oid, void *set)',
  gss_release_buffer_set: 'uint32_t gss_release_buffer_set(void *minor, void *set)',
  gss_krb5_free_lucid_sec_context: 'uint32_t gss_krb5_free_lucid_sec_context(void *minor, void *kctx)',
  gss_wrap_iov:
    'uint32_t gss_wrap_iov(void *minor, void *ctx, int conf_req, uint32_t qop, void *conf_state, void *iov, int count)',
  gss_unwrap_iov: 'uint32_t gss_unwrap_iov(void *minor, void *ctx, void *conf_state, void *qop, void *iov, int count)',
  gss_wrap_iov_length:
    'uint32_t gss_wrap_iov_length(void *minor, void *ctx, int conf_req, uint32_t qop, void *conf_state, void *iov, int count)',
};

const ASYNC_PROTOTYPES: Readonly<Record<keyof GssAsyncFunctions, string>> = {
  gss_accept_sec_context:
    'uint32_t gss_accept_sec_context(void *minor, void *ctx, void *cred, void *input, void *cb, void *src_name, void *mech, void *output, void *ret_flags, void *time_rec, void *delegated)',
  gss_acquire_cred_from:
    'uint32_t gss_acquire_cred_from(void *minor, void *name, uint32_t time_req, void *mechs, int usage, void *store, void *cred, void *actual, void *time_rec)',
  gss_acquire_cred_with_password:
    'uint32_t gss_acquire_cred_with_password(void *minor, void *name, void *password, uint32_t time_req, void *mechs, int usage, void *cred, void *actual, void *time_rec)',
  gss_init_sec_context:
    'uint32_t gss_init_sec_context(void *minor, void *cred, void *ctx, void *target, void *mech, uint32_t req_flags, uint32_t time_req, void *cb, void *input, void *actual_mech, void *output, void *ret_flags, void *time_rec)',
  gss_localname: 'uint32_t gss_localname(void *minor, void *name, void *mech, void *localname)',
};

type LibraryHandle = ReturnType<Koffi['load']>;

/** Binds every synchronous GSSAPI function; throws if a symbol is missing (caught by the probe). */
export function bindGss(lib: LibraryHandle): GssFunctions {
  const out: Partial<Record<keyof GssFunctions, unknown>> = {};
  for (const [name, proto] of Object.entries(SYNC_PROTOTYPES)) out[name as keyof GssFunctions] = lib.func(proto);
  return out as GssFunctions;
}

/** Binds the KDC-reaching functions as their `.async` variants. */
export function bindGssAsync(lib: LibraryHandle): GssAsyncFunctions {
  const out: Partial<Record<keyof GssAsyncFunctions, unknown>> = {};
  for (const [name, proto] of Object.entries(ASYNC_PROTOTYPES)) {
    const fn = lib.func(proto);
    out[name as keyof GssAsyncFunctions] = (...args: unknown[]): void => void fn.async(...args);
  }
  return out as GssAsyncFunctions;
}

/** Binds memcpy and strlen from the C library. */
export function bindLibc(libc: LibraryHandle): LibcFunctions {
  return {
    memcpy: libc.func('void *memcpy(void *dest, const void *src, size_t n)') as LibcFunctions['memcpy'],
    strlen: libc.func('size_t strlen(const char *s)') as LibcFunctions['strlen'],
  };
}
