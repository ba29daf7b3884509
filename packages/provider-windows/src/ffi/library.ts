/** secur32, advapi32 and kernel32 loaded lazily behind an availability probe that says why when it fails. */
import { loadKoffi } from './koffi.js';
import type { Koffi } from './koffi.js';
import { KoffiMemory } from './memory.js';
import { bindAdvapi32, bindSecur32 } from './secur32.js';
import type { Advapi32, Secur32 } from './secur32.js';
import { declareTypes } from './types.js';
import type { SspiTypes } from './types.js';

/** Everything bound from the native side, created once per process. */
export interface WindowsLibrary {
  readonly koffi: Koffi;
  readonly secur32: Secur32;
  readonly advapi32: Advapi32;
  readonly types: SspiTypes;
  readonly memory: KoffiMemory;
}

/** Result of the availability probe. */
export type Availability =
  { readonly available: true; readonly path: string } | { readonly available: false; readonly reason: string };

let state: { lib: WindowsLibrary } | { reason: string } | undefined;

/**
 * Probes (once) for koffi and secur32.dll; never throws. False on every system but Windows, without
 * loading koffi there.
 */
export function isAvailable(): Availability {
  const s = probe();
  return 'lib' in s ? { available: true, path: 'secur32.dll' } : { available: false, reason: s.reason };
}

/** The loaded library; throws an Error carrying the probe's reason when it is unavailable. */
export function windowsLibrary(): WindowsLibrary {
  const s = probe();
  if ('lib' in s) return s.lib;
  throw new Error(s.reason);
}

function probe(): { lib: WindowsLibrary } | { reason: string } {
  if (state !== undefined) return state;
  const loaded = loadKoffi();
  if ('error' in loaded) return (state = { reason: loaded.error });
  const { koffi } = loaded;
  try {
    const types = declareTypes(koffi);
    const secur32 = bindSecur32(koffi.load('secur32.dll'));
    const advapi32 = bindAdvapi32(koffi.load('advapi32.dll'), koffi.load('kernel32.dll'));
    return (state = { lib: { koffi, secur32, advapi32, types, memory: new KoffiMemory(koffi, secur32) } });
  } catch (err) {
    return (state = { reason: `secur32.dll is not usable: ${err instanceof Error ? err.message : String(err)}` });
  }
}
