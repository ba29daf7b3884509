/**
 * Shared by the scripts that run inside Windows Node (under Wine in CI): a registry and dispatcher
 * over the Windows packages, and one JSON result line on stdout, which the Linux-side driver reads
 * from the file stdout was redirected to (Windows Node under Wine cannot write to a pipe).
 */
import { Registry, SspiDispatcher } from '@sspkit/core';
import { windowsPackages } from '../../src/index.js';
import type { WindowsPackage } from '../../src/index.js';

/** The marker the driver looks for: the rest of that line is the script's JSON result. */
export const RESULT_MARKER = 'SSPKIT-WINE-RESULT ';

/** Loads every Windows package the provider maps; the refused ones (not enumerated) are listed. */
export async function windowsDispatcher(): Promise<{
  sspi: SspiDispatcher;
  packages: WindowsPackage[];
  refused: { name: string; reason: string }[];
}> {
  const registry = new Registry();
  const packages = windowsPackages();
  const refused: { name: string; reason: string }[] = [];
  for (const p of packages) {
    try {
      await registry.load(p.module, `@sspkit/provider-windows:${p.windowsName}`);
    } catch (e) {
      refused.push({ name: p.windowsName, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { sspi: new SspiDispatcher(registry), packages, refused };
}

/** Writes the result line (bigints as strings, bytes as hex) and exits with 0. */
export function report(result: unknown): void {
  const json = JSON.stringify(result, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );
  process.stdout.write(`${RESULT_MARKER}${json}\n`);
}

/** Runs a script body, reporting a thrown error as `{ error }` so the driver shows why. */
export async function main(body: () => Promise<unknown>): Promise<void> {
  try {
    report(await body());
  } catch (e) {
    report({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
}
