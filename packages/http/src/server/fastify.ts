/**
 * Fastify 5 adapter: a plugin adding a `preValidation` hook (the body is parsed by then, so Digest
 * auth-int can hash it when the route's parser keeps it as a Buffer or string) that authenticates and
 * sets `request.sspkit`, or replies 400/401/407/500. Only types come from Fastify.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpAuthenticator } from './authenticator.js';
import { groupHeaders } from './authenticator.js';
import type { SspkitRequestState } from './node.js';
import type { AuthOutcome } from './types.js';

declare module 'fastify' {
  interface FastifyRequest {
    sspkit?: SspkitRequestState;
  }
}

function rawBody(request: FastifyRequest): Uint8Array {
  const b: unknown = request.body;
  if (b === undefined || b === null) return new Uint8Array(0);
  if (b instanceof Uint8Array) return b;
  if (typeof b === 'string') return new Uint8Array(Buffer.from(b, 'utf8'));
  // A parsed body (JSON …) no longer has its octets: auth-int cannot be verified over it.
  throw new TypeError('the route parses its body; auth-int needs it as a Buffer or string');
}

function headersOf(outcome: AuthOutcome): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of groupHeaders(outcome.headers)) out[name] = values.length === 1 ? values[0]! : values;
  return out;
}

/** Registers the hook on `app` (call before declaring the protected routes, or inside a scope). */
export function fastifyAuthentication(app: FastifyInstance, auth: HttpAuthenticator): void {
  app.decorateRequest('sspkit', undefined);
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const outcome = await auth.authenticate({
      method: request.raw.method ?? 'GET',
      url: request.raw.url ?? '/',
      credentials: request.headers[auth.names.credentials],
      socket: request.raw.socket,
      readBody: async () => rawBody(request),
    });
    if (outcome.kind === 'authenticated') {
      reply.headers(headersOf(outcome));
      request.sspkit = { identity: outcome.identity };
      return;
    }
    const text =
      outcome.kind === 'challenge'
        ? 'authentication required\n'
        : outcome.kind === 'bad-request'
          ? 'bad request\n'
          : 'internal server error\n';
    await reply.code(outcome.statusCode).headers(headersOf(outcome)).type('text/plain; charset=utf-8').send(text);
  });
}
