/**
 * Runs under Windows Node in Wine (test/wine-smoke.int.spec.ts): echoes what the harness passed in
 * (arguments, environment, working directory) and, on request, fails or hangs, so the harness's own
 * plumbing is tested.
 */
import { writeResult } from './result.js';

const args = process.argv.slice(2);
console.log('to stdout');
console.error('to stderr');
if (args.includes('--fail')) {
  console.error('probe failing on request');
  process.exit(3);
}
if (args.includes('--hang')) setInterval(() => undefined, 1000);
else {
  writeResult({
    argv: args,
    env: process.env['SSPKIT_PROBE'],
    cwd: process.cwd(),
    krb5ccname: process.env['KRB5CCNAME'],
    krb5: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('KRB5') || k.startsWith('GSS_'))),
  });
}
