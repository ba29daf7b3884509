/**
 * `createAuthFetch()`: a fetch (undici's, with its own connections: no global is patched) that
 * answers 401 `WWW-Authenticate` (or, for a forward proxy, 407 `Proxy-Authenticate`) with Negotiate,
 * Kerberos, NTLM or Digest through the SSPI dispatcher, choosing the strongest offered scheme the
 * caller allows. Connection-bound schemes run their whole handshake on one connection and keep it
 * for that connection's later requests; Digest signs later requests with the next nonce-count.
 */
import { SecStatus, SspiError, splitChallenges } from '@sspkit/core';
import type { Challenge } from '@sspkit/core';
import { Headers, Request, Response, fetch } from 'undici';
import type { RequestInit } from 'undici';
import { decodeBase64Token, formatTokenHeader } from '../common/auth-header.js';
import { Origin } from './lane.js';
import type { Lane } from './lane.js';
import { ConnectionAuth, Credentials, DigestAuth } from './sessions.js';
import { SCHEME_STRENGTH } from './types.js';
import type { AuthFetchOptions, ClientScheme } from './types.js';

/** A fetch that authenticates, plus `close()` for its connections and credentials. */
export interface AuthFetch {
  (input: string | URL, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

interface Names {
  readonly status: number;
  readonly challenge: string;
  readonly credentials: string;
  readonly info: string;
}
const SERVER: Names = {
  status: 401,
  challenge: 'www-authenticate',
  credentials: 'authorization',
  info: 'authentication-info',
};
const PROXY: Names = {
  status: 407,
  challenge: 'proxy-authenticate',
  credentials: 'proxy-authorization',
  info: 'proxy-authentication-info',
};

const DIGEST_ALG_STRENGTH = ['SHA-512-256-SESS', 'SHA-512-256', 'SHA-256-SESS', 'SHA-256', 'MD5-SESS', 'MD5'];

function digestStrength(rest: string): number {
  const m = /(?:^|,)\s*algorithm\s*=\s*"?([A-Za-z0-9-]+)"?/i.exec(rest);
  const alg = (m?.[1] ?? 'MD5').toUpperCase();
  const i = DIGEST_ALG_STRENGTH.indexOf(alg);
  return i < 0 ? DIGEST_ALG_STRENGTH.length : i;
}

/** The strongest challenge offered among the allowed schemes (Digest: the strongest algorithm). */
export function chooseChallenge(
  challenges: readonly Challenge[],
  allowed: readonly ClientScheme[],
): { scheme: ClientScheme; challenge: Challenge } | undefined {
  for (const scheme of SCHEME_STRENGTH) {
    if (!allowed.includes(scheme)) continue;
    const offered = challenges.filter((c) => c.scheme.toLowerCase() === scheme.toLowerCase());
    if (offered.length === 0) continue;
    const best =
      scheme === 'Digest'
        ? [...offered].sort((a, b) => digestStrength(a.rest) - digestStrength(b.rest))[0]
        : offered[0];
    if (best !== undefined) return { scheme, challenge: best };
  }
  return undefined;
}

const isStale = (rest: string): boolean => /(?:^|,)\s*stale\s*=\s*"?true"?/i.test(rest);
const realmOf = (rest: string): string => /(?:^|,)\s*realm\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(rest)?.[1] ?? '';

/** Creates the authenticating fetch. */
export function createAuthFetch(options: AuthFetchOptions): AuthFetch {
  const proxy = options.proxy !== undefined ? new URL(options.proxy) : undefined;
  const names = proxy !== undefined ? PROXY : SERVER;
  const allowed = options.schemes ?? SCHEME_STRENGTH;
  const mutual = options.mutualAuth ?? true;
  const bindings = options.channelBindings ?? true;
  const maxLegs = options.maxLegs ?? 6;
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const credentials = new Credentials(options.sspi, options);
  const origins = new Map<string, Origin>();
  const connectionAuth = new Map<Lane, ConnectionAuth>();
  // Digest per connection and realm: a nonce's counts then arrive in order (Apache, among others,
  // refuses an nc out of sequence), at the cost of one challenge per connection.
  const digest = new Map<Lane, Map<string, DigestAuth>>();
  const lastDigest = new Map<Lane, DigestAuth>(); // for pre-emptive signing of the next request
  const target = options.targetName ?? ((u: URL) => `HTTP/${u.hostname}`);

  const trace = (
    lane: Lane,
    direction: 'request' | 'response',
    url: string,
    headers: Record<string, string>,
    extra: { method?: string; status?: number },
  ): void => {
    options.onLeg?.({ direction, url, headers, connection: lane.id, ...extra });
  };

  async function run(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const method = request.method;
    const uri = `${url.pathname}${url.search}`;
    let body: Uint8Array | undefined;
    if (request.body !== null) {
      const buf = new Uint8Array(await request.arrayBuffer());
      if (buf.length > maxBody)
        throw new RangeError(`request body over ${maxBody} bytes cannot be replayed across authentication legs`);
      body = buf;
    }
    // Through a proxy every request shares the proxy's connections (and what authenticated them).
    const via = proxy ?? url;
    let origin = origins.get(via.origin);
    if (origin === undefined) {
      origin = new Origin(via, options, options.connections ?? 4, proxy !== undefined);
      origins.set(via.origin, origin);
    }
    const lane = await origin.acquire();
    try {
      return await exchange(lane, url, method, uri, request.headers, body);
    } finally {
      if (options.reuseConnections === false) forget(lane);
      origin.release(lane);
    }
  }

  async function send(
    lane: Lane,
    url: URL,
    method: string,
    headers: Headers,
    body: Uint8Array | undefined,
    auth: string | undefined,
  ): Promise<Response> {
    const h = new Headers(headers);
    if (auth !== undefined) h.set(names.credentials, auth);
    trace(lane, 'request', url.href, auth !== undefined ? { [names.credentials]: auth } : {}, { method });
    const res =
      proxy === undefined
        ? await fetch(url, {
            method,
            headers: h,
            ...(body !== undefined ? { body } : {}),
            dispatcher: lane.dispatcher,
            redirect: 'manual',
          })
        : await viaProxy(lane, url, method, h, body);
    const seen: Record<string, string> = {};
    for (const n of [names.challenge, names.info]) {
      const v = res.headers.get(n);
      if (v !== null) seen[n] = v;
    }
    trace(lane, 'response', url.href, seen, { status: res.status });
    return res;
  }

  /**
   * Through a proxy, undici's fetch turns a 407 into a network error (as the Fetch standard says a
   * browser must), so the legs go out with the dispatcher's `request()` and come back as a Response.
   */
  async function viaProxy(
    lane: Lane,
    url: URL,
    method: string,
    headers: Headers,
    body: Uint8Array | undefined,
  ): Promise<Response> {
    const flat: Record<string, string> = {};
    headers.forEach((v, k) => {
      flat[k] = v;
    });
    const r = await lane.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method,
      headers: { ...flat, host: url.host },
      ...(body !== undefined ? { body } : {}),
    });
    const data = Buffer.from(await r.body.arrayBuffer());
    const out = new Headers();
    for (const [k, v] of Object.entries(r.headers)) {
      for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
    }
    const empty = r.statusCode === 204 || r.statusCode === 304 || method === 'HEAD';
    return new Response(empty ? null : data, { status: r.statusCode, headers: out });
  }

  async function exchange(
    lane: Lane,
    url: URL,
    method: string,
    uri: string,
    headers: Headers,
    body: Uint8Array | undefined,
  ): Promise<Response> {
    // A connection-bound handshake that completed on this very socket still authenticates it.
    let conn = connectionAuth.get(lane);
    if (conn !== undefined && conn.generation !== lane.generation) {
      conn.dispose();
      connectionAuth.delete(lane);
      conn = undefined;
    }
    let dig: DigestAuth | undefined = conn === undefined ? lastDigest.get(lane) : undefined;
    let auth = dig?.sign(method, uri, body);
    let res = await send(lane, url, method, headers, body, auth);
    let answered: ClientScheme | undefined;
    for (let leg = 0; leg < maxLegs && res.status === names.status; leg++) {
      const offered = splitChallenges(res.headers.get(names.challenge) ?? '');
      const current = answered === undefined ? chooseChallenge(offered, allowed) : matchScheme(offered, answered);
      if (current === undefined) return res; // nothing we may answer: the caller sees the 401/407
      await res.arrayBuffer(); // drain before reusing the connection
      const { scheme, challenge } = current;
      if (scheme === 'Digest') {
        // A second challenge that is not stale means the credentials were refused: stop there.
        if (answered === 'Digest' && !isStale(challenge.rest)) return send(lane, url, method, headers, body, undefined);
        const realm = realmOf(challenge.rest);
        let realms = digest.get(lane);
        if (realms === undefined) digest.set(lane, (realms = new Map<string, DigestAuth>()));
        dig = realms.get(realm);
        const stale = dig !== undefined && isStale(challenge.rest);
        if (dig === undefined) {
          dig = new DigestAuth(options.sspi, await credentials.get('Digest'), mutual);
          realms.set(realm, dig);
        }
        lastDigest.set(lane, dig);
        auth = await dig.answer(`Digest ${challenge.rest}`, method, uri, body, stale);
      } else {
        if (answered === undefined || conn === undefined || conn.complete || lane.generation !== conn.generation) {
          conn?.dispose();
          conn = new ConnectionAuth(
            scheme,
            lane,
            options.sspi,
            await credentials.get(scheme),
            target(url, scheme),
            mutual,
            bindings && url.protocol === 'https:',
          );
          connectionAuth.set(lane, conn);
          const input = challenge.rest !== '' ? decodeBase64Token(challenge.rest) : undefined;
          auth = formatTokenHeader(scheme, await conn.step(input));
        } else {
          const input = decodeBase64Token(challenge.rest);
          if (input === undefined) return res; // a bare challenge mid-handshake: the server refused us
          auth = formatTokenHeader(scheme, await conn.step(input));
        }
      }
      answered = scheme;
      res = await send(lane, url, method, headers, body, auth);
    }
    if (res.status === names.status) return res;
    if (answered !== undefined && answered !== 'Digest' && conn !== undefined && res.status < 400) {
      const final = matchScheme(splitChallenges(res.headers.get(names.challenge) ?? ''), answered);
      const token =
        final !== undefined && final.challenge.rest !== '' ? decodeBase64Token(final.challenge.rest) : undefined;
      if (mutual && answered !== 'NTLM') await conn.finish(token);
      else if (token !== undefined && !conn.complete) await conn.step(token);
    }
    const info = res.headers.get(names.info);
    if (dig !== undefined && res.status < 400) {
      if (info !== null) await dig.verifyInfo(info);
      else if (mutual && answered === 'Digest') {
        throw new SspiError(SecStatus.SEC_E_MUTUAL_AUTH_FAILED, 'InitializeSecurityContext', {
          detail: 'Digest: no Authentication-Info (rspauth) from the server',
        });
      }
    }
    return res;
  }

  /** Drops what a connection authenticated (it is closed, or about to be). */
  function forget(lane: Lane): void {
    connectionAuth.get(lane)?.dispose();
    connectionAuth.delete(lane);
    for (const d of digest.get(lane)?.values() ?? []) d.dispose();
    digest.delete(lane);
    lastDigest.delete(lane);
  }

  const f = run as AuthFetch;
  f.close = async (): Promise<void> => {
    for (const c of connectionAuth.values()) c.dispose();
    connectionAuth.clear();
    for (const lane of [...digest.keys()]) forget(lane);
    await Promise.all([...origins.values()].map((o) => o.close()));
    origins.clear();
    await credentials.close();
  };
  return f;
}

function matchScheme(
  offered: readonly Challenge[],
  scheme: ClientScheme,
): { scheme: ClientScheme; challenge: Challenge } | undefined {
  const c = offered.find((x) => x.scheme.toLowerCase() === scheme.toLowerCase());
  return c === undefined ? undefined : { scheme, challenge: c };
}
