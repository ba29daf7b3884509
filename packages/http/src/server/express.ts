/**
 * Express 5 adapter: a middleware that authenticates, sets `req.sspkit` and calls `next()`, or
 * answers 400/401/407/500 itself. Only types come from Express: the package does not load it.
 */
import type { NextFunction, Request, Response } from 'express';
import type { HttpAuthenticator } from './authenticator.js';
import { applyHeaders, bodyReader, nodeAuthRequest, sendRefusal } from './node.js';
import type { SspkitRequestState } from './node.js';

/** An Express request after the middleware let it through. */
export type SspkitExpressRequest = Request & { sspkit?: SspkitRequestState };

export function expressAuthentication(
  auth: HttpAuthenticator,
  options: { maxBodyBytes?: number } = {},
): (req: Request, res: Response, next: NextFunction) => void {
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
