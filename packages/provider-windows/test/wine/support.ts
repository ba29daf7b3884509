/**
 * Shared by the scripts that run inside Windows Node (under Wine in CI, through test/wine/harness.ts):
 * a registry and dispatcher over the Windows packages, and the script's JSON answer written to the
 * harness's result file (Windows Node under Wine cannot write to a pipe).
 */
import { Registry, SspiDispatcher } from '@sspkit/core';
import { writeResult } from '../../../../test/wine/win/result.js';
import { windowsPackages } from '../../src/index.js';
import type { WindowsPackage } from '../../src/index.js';

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

/** Writes the result (bigints as strings, bytes as hex). */
function report(result: unknown): void {
  const json = JSON.stringify(result, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );
  writeResult(JSON.parse(json));
}

/** Runs a script body, reporting a thrown error as `{ error }` so the driver shows why. */
export async function main(body: () => Promise<unknown>): Promise<void> {
  try {
    report(await body());
  } catch (e) {
    report({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
}
