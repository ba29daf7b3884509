/**
 * One Kerberos server instance in a process of its own, for redis-kerberos-multi.int.spec.ts: the
 * Kerberos, Negotiate-MIT and Negotiate (Kerberos inside) packages of one registry sharing a
 * RedisReplayStore, plus a second registry without it (the control). Its MIT replay cache is its
 * own (KRB5RCACHEDIR set by the parent), as on separate hosts. It answers AcceptSecurityContext
 * requests over the IPC channel and stops on SIGTERM.
 *
 * Environment: SSPKIT_TEST_REDIS_URL, SSPKIT_TEST_KEYTAB, plus the lab's krb5 variables.
 */
import { AscReq, SecBufferType, SecPkgCred, createSspi, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { createNegotiateModule } from '@sspkit/negotiate';
import { createKerberosModule, createNegotiateMitModule } from '@sspkit/provider-native';
import { RedisReplayStore, createRedisClient } from '@sspkit/store-redis';
import { configuredClockSkewSeconds } from '../../packages/provider-native/src/ffi/clockskew.js';

/** A request from the parent. */
export interface AcceptRequest {
  readonly id: number;
  readonly pkg: string;
  /** base64 */
  readonly token: string;
  /** 'shared' (the Redis record) or 'plain' (MIT's replay cache only). */
  readonly registry: 'shared' | 'plain';
}

/** The answer: the status name and the cause chain as text. */
export interface AcceptReply {
  readonly id: number;
  readonly status: string;
  readonly cause: string;
}

/** The first message: ready, with the clock skew read from krb5.conf. */
export interface ReadyMessage {
  readonly ready: true;
  readonly skewSeconds: number;
}

const url = process.env['SSPKIT_TEST_REDIS_URL'];
const keytab = process.env['SSPKIT_TEST_KEYTAB'];
if (url === undefined || keytab === undefined) throw new Error('SSPKIT_TEST_REDIS_URL and SSPKIT_TEST_KEYTAB');

const skewSeconds = configuredClockSkewSeconds();
const client = createRedisClient({ url, commandTimeoutMs: 300, connectTimeoutMs: 300, maxReconnectDelayMs: 100 });
await client.connect();
// Our record is kept for 2 × skew after each acceptance; an authenticator presented now may have been
// accepted elsewhere as early as 2 × skew ago, hence a window of 4 × skew (see the README).
const store = new RedisReplayStore({ client, keyPrefix: 'sspkit-test:krb5:', acceptWindowMs: 4 * skewSeconds * 1000 });
await store.open();

const modules = (shared: boolean) => {
  const options = shared ? { replayStore: store } : {};
  return [
    createKerberosModule(options),
    createNegotiateMitModule(options),
    createNegotiateModule({ packages: ['Kerberos'] }),
  ];
};
const registries: Record<AcceptRequest['registry'], SspiDispatcher> = {
  shared: await createSspi({ modules: modules(true) }),
  plain: await createSspi({ modules: modules(false) }),
};

function causeText(c: unknown): string {
  const parts: string[] = [];
  for (let e = c, i = 0; e !== undefined && e !== null && i < 6; e = (e as { cause?: unknown }).cause, i++)
    parts.push(e instanceof Error ? e.message : JSON.stringify(e));
  return parts.join(' <- ');
}

async function accept(req: AcceptRequest): Promise<AcceptReply> {
  const sspi = registries[req.registry];
  const cred = await sspi.acquireCredentialsHandle({
    package: req.pkg,
    credentialUse: SecPkgCred.INBOUND,
    authData: { keytab },
  });
  if (cred.credential === undefined) return { id: req.id, status: statusName(cred.status), cause: 'no credential' };
  const r = await sspi.acceptSecurityContext({
    credential: cred.credential,
    contextReq: AscReq.ALLOCATE_MEMORY | AscReq.MUTUAL_AUTH,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, Buffer.from(req.token, 'base64'))),
    output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
  });
  if (r.context !== undefined) sspi.deleteSecurityContext(r.context);
  sspi.freeCredentialsHandle(cred.credential);
  return { id: req.id, status: statusName(r.status), cause: causeText(r.cause) };
}

process.on('message', (m: AcceptRequest) => {
  void accept(m).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ id: m.id, status: 'thrown', cause: causeText(err) }),
  );
});
process.once('SIGTERM', () => {
  client.disconnect();
  process.exit(0);
});
process.send?.({ ready: true, skewSeconds } satisfies ReadyMessage);
