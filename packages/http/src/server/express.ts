/**
 * Express 5 adapter: a middleware that authenticates, sets `req.sspkit` and calls `next()`, or
 * answers 400/401/407/500 itself. Nothing comes from Express, not even its types: express is an
 * optional peer, and a declaration importing it would fail to compile in an application without it
 * (TS2307 under skipLibCheck false). The middleware is typed by what it uses of Express 5's request
 * and response, which extend node:http's, so Express's own handler types are assignable to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAuthenticator } from './authenticator.js';
import { applyHeaders, bodyReader, nodeAuthRequest, sendRefusal } from './node.js';
import type { SspkitRequestState } from './node.js';

/** What the middleware reads of an Express request: node's request and the URL as the client sent it. */
export type ExpressRequestLike = IncomingMessage & { readonly originalUrl: string };

/**
 * An Express request after the middleware let it through. `SspkitExpressRequest<Request>` (with
 * express's `Request`) keeps the rest of Express's request type.
 */
export type SspkitExpressRequest<R extends IncomingMessage = ExpressRequestLike> = R & { sspkit?: SspkitRequestState };

export function expressAuthentication(
  auth: HttpAuthenticator,
  options: { maxBodyBytes?: number } = {},
): (req: ExpressRequestLike, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    const body = bodyReader(req, options.maxBodyBytes ?? 1 << 20);
    // originalUrl: the request-target as sent, whatever router the middleware is mounted under (Digest's `uri`).
    auth
      .authenticate({ ...nodeAuthRequest(auth, req, body.read), url: req.originalUrl })
      .then(
        (outcome) => {
          if (outcome.kind !== 'authenticated') {
            req.resume();
            sendRefusal(res, outcome);
            return;
          }
          applyHeaders(res, outcome);
          const taken = body.taken();
          (req as SspkitExpressRequest).sspkit = {
            identity: outcome.identity,
            ...(taken !== undefined ? { body: taken } : {}),
          };
          next();
        },
        (e: unknown) => next(e),
      )
      .catch(() => res.destroy());
  };
}
