// The public surface of @sspkit/http. Server side under ./server, the client under ./client, helpers both sides share under ./common.
export { HttpAuthenticator, groupHeaders } from './server/authenticator.js';
export type { HeaderNames } from './server/authenticator.js';
export type {
  AuthFailureEvent,
  AuthOutcome,
  AuthRequest,
  AuthenticatedIdentity,
  ChannelBindingPolicy,
  HeaderList,
  HttpAuthOptions,
  PersistOptions,
  SchemeOptions,
} from './server/types.js';
export { withAuthentication, nodeAuthRequest, applyHeaders, sendRefusal, bodyReader } from './server/node.js';
export type { AuthenticatedMessage, SspkitRequestState } from './server/node.js';
export { expressAuthentication } from './server/express.js';
export type { ExpressRequestLike, SspkitExpressRequest } from './server/express.js';
export { fastifyAuthentication } from './server/fastify.js';
export type {
  FastifyInstanceLike,
  FastifyReplyLike,
  FastifyRequestLike,
  SspkitFastifyRequest,
} from './server/fastify.js';
export { splitScheme, decodeBase64Token, formatTokenHeader } from './common/auth-header.js';
export type { SchemeAndRest } from './common/auth-header.js';
export { tlsServerEndPoint, secChannelBindings } from './common/channel-bindings.js';
export { createAuthFetch, chooseChallenge } from './client/fetch.js';
export type { AuthFetch } from './client/fetch.js';
export { SCHEME_STRENGTH } from './client/types.js';
export type { AuthFetchOptions, ClientScheme, LegEvent } from './client/types.js';
