/**
 * The one place koffi itself is loaded, and only on Windows: on any other system the provider never
 * touches it, so importing @sspkit/provider-windows on Linux costs nothing and cannot fail.
 */
import { createRequire } from 'node:module';
import type KoffiModule from 'koffi';

/** The koffi module's type. */
export type Koffi = typeof KoffiModule;

let cached: { koffi: Koffi } | { error: string } | undefined;

/** Loads koffi on first use on Windows; elsewhere (or when its binary is missing) returns why not. */
export function loadKoffi(platform: string = process.platform): { koffi: Koffi } | { error: string } {
  if (platform !== 'win32') return { error: `secur32.dll exists only on Windows (this is ${platform})` };
  if (cached === undefined) {
    try {
      const require = createRequire(import.meta.url);
      cached = { koffi: require('koffi') as Koffi };
    } catch (err) {
      cached = { error: `koffi could not be loaded: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return cached;
}
