import type { AuthData } from '@sspkit/core';
import { SCHEME_STRENGTH, createAuthFetch } from '@sspkit/http';
import type { ClientScheme, LegEvent } from '@sspkit/http';
import type { LoadedSspi } from '../load.js';

export interface FetchOptions {
  user?: string;
  password?: string;
  domain?: string;
  scheme?: string;
  method?: string;
  data?: string;
  insecure?: boolean;
  json?: boolean;
}

/** The `--json` shape of `sspkit fetch` (stable; documented in the CLI README). */
export interface FetchJson {
  url: string;
  ok: boolean;
  status?: number;
  legs: LegEvent[];
  headers?: Record<string, string>;
  body?: string;
  error?: { code?: string; message: string };
}

/** `--scheme negotiate,digest` → the allowed schemes (case-insensitive), in strength order. */
export function parseClientSchemes(list: string | undefined): ClientScheme[] {
  if (list === undefined) return [...SCHEME_STRENGTH];
  const wanted = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const out = SCHEME_STRENGTH.filter((s) => wanted.includes(s.toLowerCase()));
  const unknown = wanted.filter((w) => !SCHEME_STRENGTH.some((s) => s.toLowerCase() === w));
  if (unknown.length > 0 || out.length === 0)
    throw new Error(`unknown scheme ${JSON.stringify(unknown[0] ?? list)} (known: ${SCHEME_STRENGTH.join(', ')})`);
  return out;
}

function credentials(o: FetchOptions): Partial<Record<ClientScheme, AuthData>> {
  if (o.user === undefined) return {}; // Kerberos/Negotiate from the environment's ccache
  const identity = { user: o.user, domain: o.domain ?? '', password: o.password ?? '' };
  return {
    NTLM: identity,
    Negotiate: identity,
    Kerberos: identity,
    // Digest: the domain is the realm; none means "whatever realm the server names".
    Digest: o.domain !== undefined ? identity : { user: o.user, password: o.password ?? '' },
  };
}

function traceLine(l: LegEvent): string[] {
  if (l.direction === 'request') {
    return [
      `> ${l.method ?? 'GET'} ${l.url}  [connection ${l.connection}]`,
      ...Object.entries(l.headers).map(([k, v]) => `> ${k}: ${v}`),
    ];
  }
  return [`< ${l.status ?? 0}`, ...Object.entries(l.headers).map(([k, v]) => `< ${k}: ${v}`)];
}

/**
 * `sspkit fetch URL [--user U --password P] [--scheme S] [--json]`: the authenticating client, each
 * challenge and answer leg printed as `curl -v` does, then the response. Exit 0 for a 2xx/3xx
 * response, 1 for an HTTP error or a failed authentication, 2 for bad arguments.
 */
export async function fetchCommand(
  loaded: LoadedSspi,
  url: string,
  o: FetchOptions,
  write: (s: string) => void,
): Promise<number> {
  let schemes: ClientScheme[];
  try {
    schemes = parseClientSchemes(o.scheme);
    new URL(url);
  } catch (e) {
    write(`sspkit fetch: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const legs: LegEvent[] = [];
  const f = createAuthFetch({
    sspi: loaded.sspi,
    schemes,
    authData: credentials(o),
    onLeg: (l) => {
      legs.push(l);
      if (o.json !== true) for (const line of traceLine(l)) write(line);
    },
    ...(o.insecure === true ? { tls: { rejectUnauthorized: false } } : {}),
  });
  const result: FetchJson = { url, ok: false, legs };
  try {
    const res = await f(url, {
      method: o.method ?? (o.data !== undefined ? 'POST' : 'GET'),
      ...(o.data !== undefined ? { body: o.data } : {}),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    Object.assign(result, { status: res.status, ok: res.status < 400, headers, body: await res.text() });
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
    result.error = { ...(code !== undefined ? { code } : {}), message: e instanceof Error ? e.message : String(e) };
  } finally {
    await f.close();
  }
  if (o.json === true) write(JSON.stringify(result, null, 2));
  else if (result.error !== undefined) write(`sspkit fetch: ${result.error.message}`);
  else write(`\n${result.body ?? ''}`);
  return result.ok ? 0 : 1;
}
