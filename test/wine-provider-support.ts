/**
 * Shared by the test/wine-provider-*.int.spec.ts drivers: where the in-Windows scripts of
 * @sspkit/provider-windows live, and the environment they need beside the harness's.
 */
import { dirname, join } from 'node:path';
import { toWinPath } from './wine/harness.js';
import type { WineSession } from './wine/harness.js';

/** The scripts run by Windows Node (packages/provider-windows/test/wine/*.ts). */
export function providerScript(name: string): string {
  return join(import.meta.dirname, '../packages/provider-windows/test/wine', name);
}

/**
 * The provider loads koffi with require() at first use (so that importing it off Windows never loads
 * koffi), which the harness's bundler does not redirect as it does `import 'koffi'`: NODE_PATH points
 * that require at the environment's Windows build of koffi, as node_modules would on Windows.
 */
export function providerEnv(wine: WineSession): Record<string, string> {
  return { NODE_PATH: toWinPath(dirname(wine.env.koffiDir)) };
}
