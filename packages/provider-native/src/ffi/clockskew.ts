/**
 * The acceptor's allowed clock skew, as MIT reads it: `[libdefaults] clockskew` of the krb5.conf in
 * force (KRB5_CONFIG), an integer number of seconds, 300 when unset (MIT's init_ctx.c). The shared
 * replay record keeps an authenticator as long as this skew lets it be accepted again.
 */
import { bindKrb5 } from './krb5.js';
import { gssLibrary } from './library.js';
import { readPtr } from './memory.js';

/** RFC 4120 §1.6 suggests five minutes; MIT's default when krb5.conf sets none. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

let cached: number | undefined;

/**
 * `[libdefaults] clockskew` through libkrb5's own profile reader (so includes and the file search
 * order are MIT's), read once per process; the default when the library or the setting is missing.
 */
export function configuredClockSkewSeconds(): number {
  if (cached !== undefined) return cached;
  cached = DEFAULT_CLOCK_SKEW_SECONDS;
  try {
    const lib = gssLibrary();
    const k = bindKrb5(lib);
    // libgssapi_krb5 links libkrb5, so its handle resolves these symbols too.
    const handle = lib.koffi.load(lib.path);
    const getProfile = handle.func('int32_t krb5_get_profile(void *ctx, void *out)') as (
      c: bigint,
      o: Buffer,
    ) => number;
    const getInteger = handle.func(
      'long profile_get_integer(void *p, const char *n, const char *s, const char *ss, int d, void *out)',
    ) as (p: bigint, n: string, s: string, ss: null, d: number, out: Buffer) => number;
    const release = handle.func('void profile_release(void *p)') as (p: bigint) => void;
    const out = Buffer.alloc(8);
    if (getProfile(k.ctx, out) !== 0) return cached;
    const profile = readPtr(out);
    try {
      const value = Buffer.alloc(4);
      const rc = getInteger(profile, 'libdefaults', 'clockskew', null, DEFAULT_CLOCK_SKEW_SECONDS, value);
      if (rc === 0 && value.readInt32LE(0) > 0) cached = value.readInt32LE(0);
    } finally {
      release(profile);
    }
  } catch {
    // No library (the package is then unavailable anyway) or no profile: MIT's default.
  }
  return cached;
}
