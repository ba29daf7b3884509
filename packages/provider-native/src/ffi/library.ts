/** Lazy loading of libgssapi_krb5 behind an availability probe that says why when it fails. */
import { bindGss, bindGssAsync, bindLibc } from './functions.js';
import type { GssAsyncFunctions, GssFunctions, LibcFunctions } from './functions.js';
import { firstUsable, loadKoffi } from './koffi.js';
import { excludeNtlmsspPlugin } from './mech-config.js';
import type { Koffi } from './koffi.js';
import { declareLayout } from './layout.js';
import type { GssLayout } from './layout.js';
import { resolveOids } from './oids.js';
import type { GssOids } from './oids.js';

/** Everything bound from the native side, created once per process. */
export interface GssLibrary {
  readonly koffi: Koffi;
  readonly gss: GssFunctions;
  readonly gssAsync: GssAsyncFunctions;
  readonly libc: LibcFunctions;
  readonly layout: GssLayout;
  readonly oids: GssOids;
  readonly path: string;
}

/** Result of the availability probe. */
export type Availability =
  { readonly available: true; readonly path: string } | { readonly available: false; readonly reason: string };

/** Library names tried in order; `SSPKIT_GSSAPI_LIBRARY` (read once) puts a specific file first. */
const CANDIDATES = ['libgssapi_krb5.so.2', 'libgssapi_krb5.so', 'libgssapi_krb5.2.dylib'];

let state: { lib: GssLibrary } | { reason: string } | undefined;

/** Probes (once) for koffi and MIT GSSAPI; never throws. */
export function isAvailable(): Availability {
  const s = probe();
  return 'lib' in s ? { available: true, path: s.lib.path } : { available: false, reason: s.reason };
}

/** The loaded library; throws an Error carrying the probe's reason when it is unavailable. */
export function gssLibrary(): GssLibrary {
  const s = probe();
  if ('lib' in s) return s.lib;
  throw new Error(s.reason);
}

function probe(): { lib: GssLibrary } | { reason: string } {
  if (state !== undefined) return state;
  const loaded = loadKoffi();
  if ('error' in loaded) return (state = { reason: loaded.error });
  const { koffi } = loaded;
  // Before the library reads its mechanism list (its first call): no gss-ntlmssp in this process.
  excludeNtlmsspPlugin();
  const override = process.env['SSPKIT_GSSAPI_LIBRARY'];
  const names = override !== undefined && override !== '' ? [override, ...CANDIDATES] : CANDIDATES;
  const layout = declareLayout(koffi);
  const found = firstUsable(names, (name): GssLibrary => {
    const handle = koffi.load(name);
    return {
      koffi,
      gss: bindGss(handle),
      gssAsync: bindGssAsync(handle),
      libc: bindLibc(koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6')),
      layout,
      oids: resolveOids(koffi, handle),
      path: name,
    };
  });
  return (state =
    'value' in found ? { lib: found.value } : { reason: `MIT GSSAPI (libgssapi_krb5) is not usable: ${found.reason}` });
}
