/**
 * The npm `kerberos` addon as the benchmark's third column. It is a node-gyp build, so it is not a
 * workspace dependency (CI must not build it): the benchmark installs one pinned version on demand
 * into a cache directory outside the workspace's node_modules and loads it from there. When it
 * cannot be installed or built, the reason is returned and the benchmark prints the other columns.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/** The pinned addon version (the one the facts note measured). */
export const KERBEROS_ADDON_VERSION = '7.0.0';

/** The part of the addon's API the benchmark uses (lib/index.js of kerberos 7). */
export interface KerberosAddon {
  readonly GSS_MECH_OID_KRB5: number;
  initializeClient(
    service: string,
    options: { readonly mechOID: number; readonly flags: number },
  ): Promise<AddonClient>;
  initializeServer(service: string): Promise<AddonServer>;
}

/** A KerberosClient: `step` takes and returns base64 tokens. */
export interface AddonClient {
  step(challenge: string): Promise<string>;
  readonly contextComplete: boolean;
}

/** A KerberosServer: `step` leaves the reply in `response`. */
export interface AddonServer {
  step(challenge: string): Promise<unknown>;
  readonly response: string;
  readonly contextComplete: boolean;
}

/** Where the addon is installed: `SSPKIT_BENCH_CACHE` or `.tmp/` at the workspace root (git-ignored). */
function addonCacheDir(): string {
  const base = process.env['SSPKIT_BENCH_CACHE'] ?? resolve(import.meta.dirname, '../../../.tmp');
  return join(base, `kerberos-addon-${KERBEROS_ADDON_VERSION}`);
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: Buffer | string | null; message?: string };
  const text = (e.stderr !== undefined && e.stderr !== null ? e.stderr.toString() : '') || (e.message ?? String(err));
  const lines = text.split('\n').filter((l) => /err|fail|cannot|not found/i.test(l));
  return (lines.slice(-3).join(' | ') || text.split('\n')[0] || '').slice(0, 300);
}

/**
 * Installs (once) and loads the addon. node-gyp cannot download Node's headers here, so
 * `npm_config_nodedir=/usr` points it at Debian's `/usr/include/node`; the krb5 headers come from
 * the apt package `libkrb5-dev`.
 */
export function loadKerberosAddon(): { readonly addon: KerberosAddon } | { readonly reason: string } {
  const dir = addonCacheDir();
  const built = join(dir, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node');
  if (!existsSync(built)) {
    if (!existsSync('/usr/include/gssapi/gssapi.h'))
      return { reason: 'the krb5 headers are missing (apt-get install libkrb5-dev)' };
    process.stderr.write(
      `installing kerberos@${KERBEROS_ADDON_VERSION} (node-gyp build) into ${dir} for the benchmark's addon column\n`,
    );
    try {
      mkdirSync(dir, { recursive: true });
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (existsSync('/usr/include/node/node_api.h')) env['npm_config_nodedir'] = '/usr';
      execFileSync(
        'npm',
        ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `kerberos@${KERBEROS_ADDON_VERSION}`],
        {
          env,
          stdio: 'pipe',
          timeout: 300_000,
        },
      );
    } catch (err) {
      return { reason: `npm install kerberos@${KERBEROS_ADDON_VERSION} failed: ${firstLine(err)}` };
    }
    if (!existsSync(built))
      return {
        reason: `kerberos@${KERBEROS_ADDON_VERSION} installed but its native build is missing (node-gyp needs Node headers: npm_config_nodedir)`,
      };
  }
  try {
    const require = createRequire(join(dir, 'package.json'));
    return { addon: require('kerberos') as KerberosAddon };
  } catch (err) {
    return {
      reason: `kerberos@${KERBEROS_ADDON_VERSION} could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/**
 * One in-process client+server handshake through the addon (every step is a libuv worker-thread
 * job, as the addon offers no synchronous call). The server is created with an empty service name,
 * which makes the addon accept with the default keytab (`KRB5_KTNAME`) without acquiring a named
 * credential per context: its cheapest path, and the same keys our keytab credential uses.
 */
export async function addonHandshake(addon: KerberosAddon, target: string, flags: number): Promise<void> {
  const client = await addon.initializeClient(target, { mechOID: addon.GSS_MECH_OID_KRB5, flags });
  const server = await addon.initializeServer('');
  const first = await client.step('');
  await server.step(first);
  await client.step(server.response);
  if (!client.contextComplete || !server.contextComplete) throw new Error('kerberos addon handshake did not complete');
}
