import { randomBytes } from 'node:crypto';
import { InMemoryAccountStore } from '../src/accounts.js';
import { NtlmClient } from '../src/client.js';
import type { NtlmClientOptions } from '../src/client.js';
import type { Environment } from '../src/context.js';
import { NtlmServer } from '../src/server.js';
import type { NtlmServerOptions } from '../src/server.js';

/** A real clock and random source. */
export const env: Environment = { now: () => Date.now(), randomBytes: (n) => new Uint8Array(randomBytes(n)) };

/** Accounts used by the handshake tests; the password is a test value, not a secret. */
export const accounts = (): InMemoryAccountStore =>
  new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Passw0rd!').addPassword('', 'bob', 'hunter2');

/**
 * Builds a client with alice's credentials, overridable. It answers the fixture server in this
 * same process, the reflection pattern, so it opts out unless told otherwise.
 */
export const client = (o: Partial<NtlmClientOptions> = {}): NtlmClient =>
  new NtlmClient({
    credentials: { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!', workstation: 'WS1' },
    allowReflection: true,
    env,
    ...o,
  });

/** Builds a server that knows alice and bob, with no channel bindings unless overridden. */
export const server = (o: Partial<NtlmServerOptions> = {}): NtlmServer =>
  new NtlmServer({
    accounts: accounts(),
    domain: 'EXAMPLE',
    computer: 'SRV1',
    channelBindings: { mode: 'none' },
    env,
    ...o,
  });

/** Runs the three legs; returns both ends and the statuses. */
export async function handshake(c: NtlmClient, s: NtlmServer) {
  const neg = c.step();
  const chal = await s.step(neg.token ?? new Uint8Array());
  const auth = c.step(chal.token ?? new Uint8Array());
  const done = await s.step(auth.token ?? new Uint8Array());
  return { neg, chal, auth, done, tokens: { negotiate: neg.token, challenge: chal.token, authenticate: auth.token } };
}
