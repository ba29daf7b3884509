/**
 * What a Digest handshake settled on, read from the client's answer (the SASL digest-response of
 * RFC 2831 §2.1.2, the HTTP credentials of RFC 7616 §3.4), which the server verified before the
 * handshake completed: the qop (the protection layer), the SASL cipher, the HTTP algorithm. And
 * whether a flipped run settled on something weaker than the genuine one.
 */

/** `qop=auth-conf cipher=3des algorithm=md5-sess` (names lower-cased; absent directives at their defaults). */
export function digestOutcome(run: { readonly tokens: readonly Uint8Array[] }): string {
  const answer = run.tokens.map((t) => Buffer.from(t).toString('latin1')).find((t) => /response=/i.test(t)) ?? '';
  const directive = (name: string): string | undefined =>
    new RegExp(`(?:^|[\\s,])${name}="?([^",]*)"?`, 'i').exec(answer)?.[1]?.toLowerCase();
  const sasl = !/^digest /i.test(answer);
  return [
    `qop=${directive('qop') ?? 'auth'}`,
    `cipher=${directive('cipher') ?? 'none'}`,
    `algorithm=${directive('algorithm') ?? (sasl ? 'md5-sess' : 'md5')}`,
  ].join(' ');
}

const QOP_RANK = ['auth', 'auth-int', 'auth-conf'];
/** Key sizes of RFC 2831 §2.1.2 ("none" under auth and auth-int). */
const CIPHER_BITS: Record<string, number> = { none: 0, 'rc4-40': 40, 'rc4-56': 56, des: 56, '3des': 112, rc4: 128 };
/** RFC 7616 §3.2 / §6.1: the SHA-2 algorithms above MD5; each -sess variant as strong as its base. */
const ALGORITHM_RANK = (a: string): number => (a.startsWith('sha-512-256') ? 2 : a.startsWith('sha-256') ? 1 : 0);

const field = (outcome: string, name: string): string =>
  outcome
    .split(' ')
    .find((f) => f.startsWith(`${name}=`))
    ?.slice(name.length + 1) ?? '';

/** What the configuration allows even when it is weaker than the genuine choice. */
export interface DigestPolicy {
  readonly ciphers?: readonly string[];
  readonly algorithms?: readonly string[];
}

/** Why `flipped` is weaker than `genuine` beyond what `policy` allows, or undefined. */
export function weaker(genuine: string, flipped: string, policy: DigestPolicy): string | undefined {
  const g = (n: string) => field(genuine, n);
  const f = (n: string) => field(flipped, n);
  if (QOP_RANK.indexOf(f('qop')) < QOP_RANK.indexOf(g('qop'))) return `qop ${f('qop')} below ${g('qop')}`;
  const cipherAllowed = policy.ciphers?.includes(f('cipher')) === true;
  if ((CIPHER_BITS[f('cipher')] ?? 0) < (CIPHER_BITS[g('cipher')] ?? 0) && !cipherAllowed)
    return `cipher ${f('cipher')} below ${g('cipher')}`;
  const algorithmAllowed = policy.algorithms?.includes(f('algorithm')) === true;
  if (ALGORITHM_RANK(f('algorithm')) < ALGORITHM_RANK(g('algorithm')) && !algorithmAllowed)
    return `algorithm ${f('algorithm')} below ${g('algorithm')}`;
  return undefined;
}
