/**
 * The per-handle context records of the package: which side, which mode (HTTP or SASL), the
 * protocol state machine, and the request flags that shape the returned attributes.
 */
import { AscRet, IscReq, IscRet } from '@sspkit/core';
import type { HttpClientContext } from './http/client-context.js';
import type { HttpServerContext } from './http/server-context.js';
import type { SaslClientContext } from './sasl/client-context.js';
import type { SaslServerContext } from './sasl/server-context.js';

/** A client context in HTTP mode. */
export interface HttpClientRecord {
  readonly kind: 'http-client';
  /** Cause of the last failed per-message call (the user table's failureCause slot). */
  lastFailure?: Error | undefined;
  readonly ctx: HttpClientContext;
  readonly req: number;
  readonly target: string;
  readonly username: string;
  answered: boolean;
}

/** A server context in HTTP mode. */
export interface HttpServerRecord {
  readonly kind: 'http-server';
  /** Cause of the last failed per-message call (the user table's failureCause slot). */
  lastFailure?: Error | undefined;
  readonly ctx: HttpServerContext;
  readonly req: number;
}

/** A client context in SASL mode. */
export interface SaslClientRecord {
  readonly kind: 'sasl-client';
  /** Cause of the last failed per-message call (the user table's failureCause slot). */
  lastFailure?: Error | undefined;
  readonly ctx: SaslClientContext;
  readonly req: number;
  readonly target: string;
  readonly username: string;
  answered: boolean;
  established: boolean;
}

/** A server context in SASL mode. */
export interface SaslServerRecord {
  readonly kind: 'sasl-server';
  /** Cause of the last failed per-message call (the user table's failureCause slot). */
  lastFailure?: Error | undefined;
  readonly ctx: SaslServerContext;
  readonly req: number;
  established: boolean;
}

/** Any context of the package. */
export type DigestContextRecord = HttpClientRecord | HttpServerRecord | SaslClientRecord | SaslServerRecord;

/** ISC_RET_* bits a client context has earned so far. */
export function clientAttributes(rec: HttpClientRecord | SaslClientRecord): number {
  let ret = IscRet.CONNECTION;
  if ((rec.req & IscReq.ALLOCATE_MEMORY) !== 0) ret |= IscRet.ALLOCATED_MEMORY;
  if (rec.kind === 'http-client') {
    if ((rec.req & IscReq.USE_HTTP_STYLE) !== 0) ret |= IscRet.USED_HTTP_STYLE;
    if (rec.ctx.qop !== undefined) ret |= IscRet.REPLAY_DETECT | IscRet.SEQUENCE_DETECT;
    if (rec.ctx.qop === 'auth-int') ret |= IscRet.INTEGRITY;
    if (rec.ctx.serverVerified) ret |= IscRet.MUTUAL_AUTH;
    return ret >>> 0;
  }
  const { qop } = rec.ctx.negotiated;
  if (rec.established) ret |= IscRet.MUTUAL_AUTH;
  if (qop === 'auth-int' || qop === 'auth-conf')
    ret |= IscRet.INTEGRITY | IscRet.REPLAY_DETECT | IscRet.SEQUENCE_DETECT;
  if (qop === 'auth-conf') ret |= IscRet.CONFIDENTIALITY;
  return ret >>> 0;
}

/** ASC_RET_* bits a server context has earned so far. */
export function serverAttributes(rec: HttpServerRecord | SaslServerRecord, allocate: boolean): number {
  let ret = AscRet.CONNECTION;
  if (allocate) ret |= AscRet.ALLOCATED_MEMORY;
  if (rec.kind === 'http-server') {
    ret |= AscRet.REPLAY_DETECT | AscRet.SEQUENCE_DETECT;
    // auth-int covers the entity body: the same integrity the client side reports.
    if (rec.ctx.qop === 'auth-int') ret |= AscRet.INTEGRITY;
    return ret >>> 0;
  }
  const { qop } = rec.ctx.negotiated;
  if (rec.established) ret |= AscRet.MUTUAL_AUTH;
  if (qop === 'auth-int' || qop === 'auth-conf')
    ret |= AscRet.INTEGRITY | AscRet.REPLAY_DETECT | AscRet.SEQUENCE_DETECT;
  if (qop === 'auth-conf') ret |= AscRet.CONFIDENTIALITY;
  return ret >>> 0;
}
