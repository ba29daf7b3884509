/**
 * Fastify 5 adapter: a plugin adding a `preValidation` hook (the body is parsed by then, so Digest
 * auth-int can hash it when the route's parser keeps it as a Buffer or string) that authenticates and
 * sets `request.sspkit`, or replies 400/401/407/500. Nothing comes from Fastify, not even its types:
 * fastify is an optional peer, and a declaration importing it (or augmenting its FastifyRequest)
 * would fail to compile in an application without it (TS2307/TS2664 under skipLibCheck false). The
 * instance, request and reply are typed by what the hook uses of them; Fastify 5's are assignable.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { HttpAuthenticator } from './authenticator.js';
import { groupHeaders } from './authenticator.js';
import type { SspkitRequestState } from './node.js';
import type { AuthOutcome } from './types.js';

/** What the hook reads of a Fastify request, and the `sspkit` property it sets. */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  sspkit?: SspkitRequestState;
}

/** What the hook calls on a Fastify reply (each returns the reply; `send` a thenable Fastify awaits). */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  headers(values: Record<string, string | string[]>): FastifyReplyLike;
  type(contentType: string): FastifyReplyLike;
  send(payload: string): unknown;
}

/** What the plugin calls on a Fastify instance. */
export interface FastifyInstanceLike {
  decorateRequest(property: 'sspkit', value: undefined): unknown;
  addHook(
    name: 'preValidation',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>,
  ): unknown;
}

/**
 * A Fastify request after the hook let it through, for a cast (`SspkitFastifyRequest<FastifyRequest>`
 * keeps Fastify's type). Or type `request.sspkit` everywhere with the augmentation in the README.
 */
export type SspkitFastifyRequest<R extends object = FastifyRequestLike> = R & { sspkit?: SspkitRequestState };

function rawBody(request: FastifyRequestLike): Uint8Array {
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
export function fastifyAuthentication(app: FastifyInstanceLike, auth: HttpAuthenticator): void {
  app.decorateRequest('sspkit', undefined);
  app.addHook('preValidation', async (request, reply) => {
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
