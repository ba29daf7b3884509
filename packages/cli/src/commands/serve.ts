/**
 * `sspkit serve [--port N] [--schemes negotiate,ntlm,kerberos,digest] [--tls] [--json]`: a demo server
 * on 127.0.0.1 that answers every authenticated request with the identity as JSON.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpAuthenticator, withAuthentication } from '@sspkit/http';
import type { AuthFailureEvent, ChannelBindingPolicy } from '@sspkit/http';
import type { LoadedSspi } from '../load.js';
import { SERVE_ACCOUNTS, SERVE_SCHEMES, demoSchemes, parseSchemes } from './serve-config.js';
import { selfSignedCertificate } from './self-signed.js';

export interface ServeOptions {
  port?: number;
  schemes?: string;
  tls?: boolean;
  channelBindings?: ChannelBindingPolicy;
  json?: boolean;
}

/** What `serve` prints at start (`--json`: this object on one line). */
export interface ServeJson {
  url: string;
  port: number;
  schemes: string[];
  skipped: { scheme: string; reason: string }[];
  accounts: { scheme: string; user: string; domain?: string; password?: string; note?: string }[];
  tls?: { certificateSha256: string };
  channelBindings: ChannelBindingPolicy;
}

export interface ServeHandle {
  readonly info: ServeJson;
  readonly failures: AuthFailureEvent[];
  close(): Promise<void>;
}

/** Starts the demo server; resolves once it listens. */
export async function startServe(
  loaded: LoadedSspi,
  options: ServeOptions,
  log: (event: AuthFailureEvent) => void = () => {},
): Promise<ServeHandle> {
  const wanted = parseSchemes(options.schemes ?? SERVE_SCHEMES.join(','));
  const { schemes, skipped } = demoSchemes(loaded.sspi, wanted);
  if (schemes.length === 0) throw new Error(`no scheme can be offered: ${skipped.map((s) => s.reason).join('; ')}`);
  const failures: AuthFailureEvent[] = [];
  const channelBindings = options.channelBindings ?? 'off';
  const auth = await HttpAuthenticator.create({
    sspi: loaded.sspi,
    schemes,
    channelBindings,
    onFailure: (e) => {
      failures.push(e);
      if (failures.length > 1000) failures.shift();
      log(e);
    },
  });
  const handler = withAuthentication(auth, (req, res) => {
    const { user, domain, package: pkg, scheme, token } = req.sspkit.identity;
    const body = JSON.stringify({
      user,
      domain,
      package: pkg,
      scheme,
      groups: token.groups,
      method: req.method,
      url: req.url,
    });
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  });
  let server: Server;
  let tls: ServeJson['tls'];
  if (options.tls === true) {
    const pair = await selfSignedCertificate();
    tls = { certificateSha256: createHash('sha256').update(new X509Certificate(pair.cert).raw).digest('hex') };
    server = createTlsServer({ key: pair.key, cert: pair.cert }, handler);
  } else server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const names = schemes.map((s) => s.scheme);
  const accounts: ServeJson['accounts'] = [];
  if (names.includes('NTLM'))
    for (const a of SERVE_ACCOUNTS.ntlm)
      accounts.push({ scheme: 'NTLM', user: a.user, domain: a.domain, password: a.password });
  if (names.includes('Digest'))
    for (const a of SERVE_ACCOUNTS.digest)
      accounts.push({ scheme: 'Digest', user: a.user, domain: SERVE_ACCOUNTS.digestRealm, password: a.password });
  const keytab = process.env['KRB5_KTNAME'];
  for (const n of names.filter((x) => x === 'Kerberos' || x === 'Negotiate')) {
    accounts.push({
      scheme: n,
      user: '(the ticket holder)',
      note: `a ticket for HTTP/localhost from the keytab in KRB5_KTNAME${keytab !== undefined ? ` (${keytab})` : ''}`,
    });
  }
  const info: ServeJson = {
    url: `${options.tls === true ? 'https' : 'http'}://localhost:${port}/`,
    port,
    schemes: names,
    skipped,
    accounts,
    ...(tls !== undefined ? { tls } : {}),
    channelBindings,
  };
  return {
    info,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          auth.close();
          resolve();
        });
      }),
  };
}

export function formatServe(info: ServeJson): string {
  const lines = [
    `sspkit serve: listening on ${info.url} (127.0.0.1 only); schemes offered, in order: ${info.schemes.join(', ')}`,
  ];
  for (const s of info.skipped) lines.push(`  not offered: ${s.scheme} (${s.reason})`);
  if (info.tls)
    lines.push(
      `  TLS: self-signed certificate, SHA-256 ${info.tls.certificateSha256}; ` +
        `channel bindings: ${info.channelBindings}`,
    );
  lines.push('  demo accounts (public fixtures):');
  for (const a of info.accounts) {
    lines.push(
      a.password !== undefined
        ? `    ${a.scheme.padEnd(9)} ${a.domain !== undefined ? `${a.domain}\\` : ''}${a.user} / ${a.password}`
        : `    ${a.scheme.padEnd(9)} ${a.note ?? a.user}`,
    );
  }
  lines.push(`  try: curl --ntlm -u 'SSPKIT\\alice:alice-password' ${info.url}   (Ctrl-C stops)`);
  return lines.join('\n');
}

/** The command: runs until SIGINT/SIGTERM. */
export async function serveCommand(
  loaded: LoadedSspi,
  options: ServeOptions,
  write: (s: string) => void,
): Promise<number> {
  // Usage errors exit 2, as the other commands' do.
  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write('sspkit serve: --port takes a number from 0 to 65535\n');
    return 2;
  }
  try {
    parseSchemes(options.schemes ?? SERVE_SCHEMES.join(','));
  } catch (e) {
    process.stderr.write(`sspkit serve: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const handle = await startServe(loaded, options, (e) => {
    process.stderr.write(
      `${['sspkit serve:', e.kind, e.scheme, e.statusName].filter((x) => x !== undefined).join(' ')}` +
        `${typeof e.cause === 'string' ? `: ${e.cause}` : ''}\n`,
    );
  });
  // One line, so a parent process can read it before the server's first request.
  write(options.json === true ? JSON.stringify(handle.info) : formatServe(handle.info));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
  return 0;
}
