/**
 * The node:http / node:https adapter: `authenticate(req)` for a handler's own use, and
 * `withAuthentication(auth, handler)` that answers 400/401/407/500 itself and hands the application
 * only authenticated requests, with `req.sspkit` set.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAuthenticator } from './authenticator.js';
import { groupHeaders } from './authenticator.js';
import type { AuthOutcome, AuthRequest, AuthenticatedIdentity } from './types.js';

/** What the adapters attach to an authenticated request. */
export interface SspkitRequestState {
  readonly identity: AuthenticatedIdentity;
  /** The entity body, when authentication had to read it (Digest auth-int); the stream is then consumed. */
  readonly body?: Uint8Array;
}

export type AuthenticatedMessage = IncomingMessage & { sspkit: SspkitRequestState };

/** Reads a request body once, keeping the bytes for the application. */
export function bodyReader(
  req: IncomingMessage,
  limit: number,
): { read: () => Promise<Uint8Array>; taken: () => Uint8Array | undefined } {
  let done: Promise<Uint8Array> | undefined;
  let bytes: Uint8Array | undefined;
  return {
    read: () =>
      (done ??= new Promise<Uint8Array>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limit) {
            req.pause();
            reject(new RangeError('body too large'));
            return;
          }
          chunks.push(c);
        });
        req.on('end', () => {
          const b = Buffer.concat(chunks);
          bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
          resolve(bytes);
        });
        req.on('error', reject);
      })),
    taken: () => bytes,
  };
}

/** The core's view of a node request. */
export function nodeAuthRequest(
  auth: HttpAuthenticator,
  req: IncomingMessage,
  readBody?: () => Promise<Uint8Array>,
): AuthRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    credentials: req.headers[auth.names.credentials],
    socket: req.socket,
    ...(readBody !== undefined ? { readBody } : {}),
  };
}

/** Writes an outcome's headers onto a response (repeated names as several header lines). */
export function applyHeaders(res: ServerResponse, outcome: AuthOutcome): void {
  for (const [name, values] of groupHeaders(outcome.headers))
    res.setHeader(name, values.length === 1 ? values[0]! : values);
}

/** Sends a non-authenticated outcome: status, headers, a short text body and no detail. */
export function sendRefusal(res: ServerResponse, outcome: Exclude<AuthOutcome, { kind: 'authenticated' }>): void {
  applyHeaders(res, outcome);
  const text =
    outcome.kind === 'challenge'
      ? 'authentication required\n'
      : outcome.kind === 'bad-request'
        ? 'bad request\n'
        : 'internal server error\n';
  res.statusCode = outcome.statusCode;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Wraps a node request handler: only authenticated requests reach it. */
export function withAuthentication(
  auth: HttpAuthenticator,
  handler: (req: AuthenticatedMessage, res: ServerResponse) => void | Promise<void>,
  options: { maxBodyBytes?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const body = bodyReader(req, options.maxBodyBytes ?? 1 << 20);
    void auth
      .authenticate(nodeAuthRequest(auth, req, body.read))
      .then(async (outcome) => {
        if (outcome.kind !== 'authenticated') {
          // Unread bodies would otherwise stall the keep-alive connection's next request.
          req.resume();
          sendRefusal(res, outcome);
          return;
        }
        applyHeaders(res, outcome);
        const taken = body.taken();
        const authed = Object.assign(req, {
          sspkit: { identity: outcome.identity, ...(taken !== undefined ? { body: taken } : {}) },
        });
        try {
          await handler(authed, res);
        } catch {
          if (!res.headersSent) {
            res.statusCode = 500;
            res.end();
          } else res.destroy();
        }
      })
      // Writing to a connection the client already closed must not become an unhandled rejection.
      .catch(() => res.destroy());
  };
}
