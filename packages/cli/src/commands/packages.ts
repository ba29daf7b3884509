import { SecPkgFlag, flagNames } from '@sspkit/core';
import { table } from '../format.js';
import type { LoadedSspi } from '../load.js';

/** The `--json` shape of one package (stable). */
export interface PackageJson {
  name: string;
  /** Which implementation: sspkit's TypeScript, MIT GSSAPI through koffi, Windows' secur32, or a --module. */
  provider: string;
  comment: string;
  version: number;
  rpcId: number;
  maxToken: number;
  capabilities: number;
  capabilityNames: string[];
}

/** `sspkit packages [--json]`: EnumerateSecurityPackages, capabilities decoded. */
export function packagesCommand(loaded: LoadedSspi, options: { json?: boolean }, write: (s: string) => void): number {
  const { packages } = loaded.sspi.enumerateSecurityPackages();
  const providers = new Map(loaded.entries.map((e) => [e.name.toLowerCase(), e.provider]));
  const rows: PackageJson[] = packages.map((p) => ({
    name: p.name,
    provider: providers.get(p.name.toLowerCase()) ?? 'module',
    comment: p.comment,
    version: p.version,
    rpcId: p.rpcId,
    maxToken: p.maxToken,
    capabilities: p.capabilities,
    capabilityNames: flagNames(SecPkgFlag, p.capabilities),
  }));
  if (options.json) {
    write(JSON.stringify({ packages: rows, unavailable: loaded.unavailable }, null, 2));
    return 0;
  }
  write(
    table(
      ['Name', 'Provider', 'Version', 'MaxToken', 'RPCID', 'Capabilities', 'Comment'],
      rows.map((r) => [
        r.name,
        r.provider,
        String(r.version),
        String(r.maxToken),
        r.rpcId === 0xffff ? 'none' : String(r.rpcId),
        r.capabilityNames.join(',') || '-',
        r.comment,
      ]),
    ),
  );
  for (const u of loaded.unavailable) write(`(${u.name} not offered: ${u.reason})`);
  return 0;
}
