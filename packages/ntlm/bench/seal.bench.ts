/**
 * NTLM sealing (MS-NLMP §3.4: RC4 + HMAC-MD5 with key exchange, 128-bit, ESS) against gss-ntlmssp,
 * in the same run, at 1 KiB and 64 KiB. Three sides, one established context pair each:
 *   - sspkit through the dispatcher: EncryptMessage on the client (TOKEN + DATA holding a fresh copy
 *     of the plaintext, sealed in place), DecryptMessage on the server, in place;
 *   - the bare package: the same session's MessageProtector (sealInPlace / unsealInPlace), no
 *     dispatcher, no buffer descriptors;
 *   - gss-ntlmssp in C (test/bench/ntlm/gss_driver.c, compiled by the benchmark with cc against
 *     MIT's mechglue, GSS_MECH_CONFIG naming gss-ntlmssp alone): gss_wrap(conf_req=1) on the
 *     initiator, gss_unwrap on the acceptor, on a context pair established at start-up.
 * The first message of each batch is checked against the plaintext. MB/s = payload bytes (10^6) per
 * second of seal+unseal pairs. Rounds and figures: test/bench/ntlm/rounds.ts. Method and results:
 * packages/ntlm/README.md, "Benchmarks". Nothing here asserts a time.
 */
import { randomBytes } from 'node:crypto';
import { InMemoryAccountStore } from '../src/accounts.js';
import { NtlmClient } from '../src/client.js';
import type { Environment, NtlmSession } from '../src/context.js';
import { NtlmServer } from '../src/server.js';
import { GssDriver, gssNtlmsspVersion } from '../../../test/bench/ntlm/gss-driver.js';
import { OurSide } from '../../../test/bench/ntlm/ours.js';
import { ROUNDS, compare, footer, header, report } from '../../../test/bench/ntlm/rounds.js';
import type { Side } from '../../../test/bench/ntlm/rounds.js';
import type { Timing } from '../../../test/bench/ntlm/timing.js';
import { timeBatch } from '../../../test/bench/ntlm/timing.js';

const USER = 'alice';
const DOMAIN = 'EXAMPLE';
const PASSWORD = 'Passw0rd!';
const USERS = `${DOMAIN}:${USER}:${PASSWORD}\n`;
const env: Environment = { now: () => Date.now(), randomBytes: (n) => new Uint8Array(randomBytes(n)) };

/** A client and server session of the low-level classes, after a full handshake. */
async function bareSessions(): Promise<{ client: NtlmSession; server: NtlmSession }> {
  const server = new NtlmServer({
    accounts: new InMemoryAccountStore().addPassword(DOMAIN, USER, PASSWORD),
    domain: DOMAIN,
    computer: 'SRV1',
    channelBindings: { mode: 'none' },
    require: { integrity: true, confidentiality: true },
    env,
  });
  const client = new NtlmClient({
    credentials: { user: USER, domain: DOMAIN, password: PASSWORD, workstation: 'WS1' },
    targetName: 'HTTP/server.example',
    allowReflection: true, // client and server in this process
    env,
  });
  const challenge = await server.step(client.step().token ?? new Uint8Array(0));
  const done = await server.step(client.step(challenge.token).token ?? new Uint8Array(0));
  if (done.status !== 'SEC_E_OK' || !client.session || !server.session)
    throw new Error(`bare handshake: ${done.status} ${done.reason ?? ''}`);
  return { client: client.session, server: server.session };
}

/** N sealInPlace + unsealInPlace pairs of `size` bytes on the bare sessions, a fresh copy each. */
function bareSeal(pair: { client: NtlmSession; server: NtlmSession }, size: number, n: number): Promise<Timing> {
  const plain = new Uint8Array(size).fill(0x5a);
  return timeBatch(() => {
    for (let i = 0; i < n; i++) {
      const data = plain.slice();
      const parts = [{ data, confidential: true }];
      const signature = pair.client.protector.sealInPlace(parts);
      if (!pair.server.protector.unsealInPlace(parts, signature)) throw new Error('unsealInPlace refused');
      if (i === 0 && !Buffer.from(data).equals(plain)) throw new Error('unsealInPlace returned other bytes');
    }
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(header());
  console.log(`${ROUNDS} rounds of ~300 ms per side after >= 400 ms warm-up, order rotating; medians over rounds`);
  const ours = await OurSide.create(USERS, USER, DOMAIN, PASSWORD);
  const bare = await bareSessions();
  const driver = await GssDriver.start(USERS, USER, DOMAIN, PASSWORD);
  try {
    if (typeof driver === 'string') console.log(`gss-ntlmssp side skipped: ${driver}`);
    for (const size of [1024, 65536]) {
      const sides: Side[] = [
        { name: 'sspkit NTLM (dispatcher)', label: 'dispatcher', run: (n) => ours.seal(size, n) },
        { name: 'sspkit NTLM (bare MessageProtector)', label: 'bare', run: (n) => bareSeal(bare, size, n) },
      ];
      if (typeof driver !== 'string')
        sides.push({
          name: `gss-ntlmssp ${gssNtlmsspVersion()} (C driver)`,
          label: 'gss-ntlmssp',
          run: (n) => driver.seal(size, n),
        });
      report(
        `\nseal + unseal, ${size / 1024} KiB messages (EncryptMessage+DecryptMessage vs gss_wrap conf_req=1 + gss_unwrap)`,
        'MB/s',
        await compare(sides, size / 1e6),
        1,
        '>= 1.0x',
      );
    }
  } finally {
    if (typeof driver !== 'string') driver.close();
    bare.client.wipe();
    bare.server.wipe();
    ours.dispose();
  }
  console.log(footer(started));
}

await main();
