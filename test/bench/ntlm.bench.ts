/**
 * NTLM handshakes: sspkit's pure-TypeScript package (client and server in this process, through the
 * dispatcher) against gss-ntlmssp (its own initiator and acceptor in one C process, through MIT's
 * mechglue), in the same run, full handshakes per second. Rounds and figures: ./ntlm/rounds.ts.
 * Sealing is measured by packages/ntlm/bench/seal.bench.ts. Method and results:
 * packages/ntlm/README.md, "Benchmarks". Nothing here asserts a time.
 */
import { GssDriver, gssNtlmsspVersion } from './ntlm/gss-driver.js';
import { describeHandshake } from './ntlm/inspect.js';
import { OurSide } from './ntlm/ours.js';
import { ROUNDS, compare, footer, header, report } from './ntlm/rounds.js';
import type { Side } from './ntlm/rounds.js';

const USER = 'alice';
const DOMAIN = 'EXAMPLE';
const PASSWORD = 'Passw0rd!';
const USERS = `${DOMAIN}:${USER}:${PASSWORD}\n`;

async function main(): Promise<void> {
  const started = Date.now();
  console.log(header());
  console.log(`${ROUNDS} rounds of ~300 ms per side after >= 400 ms warm-up, order rotating; medians over rounds`);
  const ours = await OurSide.create(USERS, USER, DOMAIN, PASSWORD);
  const driver = await GssDriver.start(USERS, USER, DOMAIN, PASSWORD);
  try {
    if (typeof driver === 'string') console.log(`gss-ntlmssp side skipped: ${driver}`);
    console.log(`  sspkit handshake:      ${describeHandshake(await ours.sample())}`);
    if (typeof driver !== 'string') console.log(`  gss-ntlmssp handshake: ${describeHandshake(await driver.sample())}`);
    const sides: Side[] = [
      { name: 'sspkit NTLM (TypeScript, dispatcher)', label: 'sspkit', run: (n) => ours.handshakes(n) },
    ];
    if (typeof driver !== 'string')
      sides.push({
        name: `gss-ntlmssp ${gssNtlmsspVersion()} (C driver)`,
        label: 'gss-ntlmssp',
        run: (n) => driver.handshakes(n),
      });
    report(
      '\nfull handshakes (3 legs, both sides complete, contexts deleted; credentials acquired once)',
      'handshakes/s',
      await compare(sides, 1),
      0,
      '>= 1.0x',
    );
  } finally {
    if (typeof driver !== 'string') driver.close();
    ours.dispose();
  }
  console.log(footer(started));
}

await main();
