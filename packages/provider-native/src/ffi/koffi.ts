/** The one place koffi itself is loaded: lazily, so a missing native binary is a reason, not a crash. */
import { createRequire } from 'node:module';
import type KoffiModule from 'koffi';

/** The koffi module's type. */
export type Koffi = typeof KoffiModule;

let cached: { koffi: Koffi } | { error: string } | undefined;

/** Loads koffi on first use; returns the reason when its platform binary is unavailable. */
export function loadKoffi(): { koffi: Koffi } | { error: string } {
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
