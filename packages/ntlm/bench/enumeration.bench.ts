/**
 * User enumeration by timing: how long the acceptor takes to refuse an AUTHENTICATE from a known
 * user with a wrong password, and one from a user it does not know, side by side in one run. The
 * two should cost the same (the unknown user is checked against a random key, see server.ts).
 *
 * Per round: for each case a batch of server contexts is brought to the AUTHENTICATE leg and the
 * client's AUTHENTICATE built beforehand (untimed); then only the acceptor's verification step,
 * NtlmServer.step(AUTHENTICATE), is timed, one call at a time, the two cases interleaved. Figures
 * are medians over rounds of each round's median call, the ratio the median of per-round ratios. Method and results:
 * packages/ntlm/README.md, "Security policy". Nothing here asserts a time.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { InMemoryAccountStore } from '../src/accounts.js';
import { NtlmClient } from '../src/client.js';
import type { Environment } from '../src/context.js';
import { NtlmServer } from '../src/server.js';

const ROUNDS = 11;
const BATCH = 2000;
const env: Environment = { now: () => Date.now(), randomBytes: (n) => new Uint8Array(randomBytes(n)) };
const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Passw0rd!');

type Case = 'known user, wrong password' | 'unknown user';
const CASES: readonly Case[] = ['known user, wrong password', 'unknown user'];
const credentialsOf = (c: Case) =>
  c === 'unknown user'
    ? { user: 'mallory', domain: 'EXAMPLE', password: 'Passw0rd!' }
    : { user: 'alice', domain: 'EXAMPLE', password: 'wrong' };

/** Servers awaiting AUTHENTICATE, each with the AUTHENTICATE that answers its CHALLENGE. */
async function prepare(c: Case, n: number): Promise<[NtlmServer, Uint8Array][]> {
  const out: [NtlmServer, Uint8Array][] = [];
  for (let i = 0; i < n; i++) {
    const server = new NtlmServer({
      accounts,
      domain: 'EXAMPLE',
      computer: 'SRV1',
      channelBindings: { mode: 'none' },
      env,
    });
    const client = new NtlmClient({
      credentials: { ...credentialsOf(c), workstation: 'WS1' },
      targetName: 'HTTP/srv1.example',
      allowReflection: true, // client and server in this process
      env,
    });
    const chal = await server.step(client.step().token ?? new Uint8Array(0));
    out.push([server, client.step(chal.token).token ?? new Uint8Array(0)]);
  }
  return out;
}

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Times one refusal; every answer must be SEC_E_LOGON_DENIED. */
async function verify(c: Case, server: NtlmServer, auth: Uint8Array): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await server.step(auth);
  const ns = Number(process.hrtime.bigint() - t0);
  if (r.status !== 'SEC_E_LOGON_DENIED') throw new Error(`${c}: expected SEC_E_LOGON_DENIED, got ${r.status}`);
  return ns;
}

/**
 * One round: both batches prepared, then the verifications interleaved one by one (the order
 * flipping each time), so drift in the machine's load hits both cases alike. Returns µs each.
 */
async function round(): Promise<Record<Case, number>> {
  const [known, unknown] = [await prepare(CASES[0]!, BATCH), await prepare(CASES[1]!, BATCH)];
  (globalThis as { gc?: () => void }).gc?.();
  const times = { known: [] as number[], unknown: [] as number[] };
  for (let i = 0; i < BATCH; i++) {
    const [k, u] = [known[i]!, unknown[i]!];
    if (i % 2 === 0) {
      times.known.push(await verify(CASES[0]!, ...k));
      times.unknown.push(await verify(CASES[1]!, ...u));
    } else {
      times.unknown.push(await verify(CASES[1]!, ...u));
      times.known.push(await verify(CASES[0]!, ...k));
    }
  }
  // The median call, not the mean: on a shared machine a call the scheduler preempts costs
  // milliseconds, and a few of those would decide a mean.
  return { [CASES[0]!]: median(times.known) / 1e3, [CASES[1]!]: median(times.unknown) / 1e3 } as Record<Case, number>;
}

const load0 = loadavg()[0] ?? 0;
await round(); // warm-up
const per: Record<Case, number[]> = { 'known user, wrong password': [], 'unknown user': [] };
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t = await round();
  for (const c of CASES) per[c].push(t[c]);
  ratios.push(t['unknown user'] / t['known user, wrong password']);
}
process.stdout.write(
  `NTLM acceptor, refusing an AUTHENTICATE (NtlmServer.step), ${ROUNDS} rounds × ${BATCH} per case\n`,
);
for (const c of CASES)
  process.stdout.write(
    `  ${c.padEnd(28)} ${median(per[c]).toFixed(1).padStart(7)} µs per verification (median call)\n`,
  );
process.stdout.write(
  `  unknown / known ratio        ${median(ratios).toFixed(3).padStart(7)} (median of per-round ratios; 1.0 = indistinguishable)\n`,
);
process.stdout.write(`  load average ${load0.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)} (1 min)\n`);
