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

/**
 * Tries `open` on each library name in turn and returns the first result; when every one throws,
 * the reasons joined (one line per name), so a probe can say why nothing was usable.
 */
export function firstUsable<T>(
  names: readonly string[],
  open: (name: string) => T,
): { readonly value: T } | { readonly reason: string } {
  const failures: string[] = [];
  for (const name of names) {
    try {
      return { value: open(name) };
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { reason: failures.join('; ') };
}
