/** Checks shared by the parser targets: a parser returns a typed result and never throws. */
import fc from 'fast-check';
import { Finding } from '../target.js';

/** `{ ok: true, value }` or `{ ok: false, error }`: anything else breaks the parser contract. */
export function expectResult(r: unknown, what: string): void {
  if (typeof r !== 'object' || r === null || typeof (r as { ok?: unknown }).ok !== 'boolean')
    throw new Finding(`${what} returned no result object`);
  if ((r as { ok: boolean }).ok === false && !((r as { error?: unknown }).error !== undefined))
    throw new Finding(`${what} failed without an error`);
}

/** Bytes, biased towards short inputs and the given magic prefixes. */
export function bytesWithPrefixes(prefixes: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const tail = fc.uint8Array({ maxLength: 512 });
  return fc.oneof(
    tail,
    fc.tuple(fc.constantFrom(...prefixes), tail).map(([p, t]) => {
      const out = new Uint8Array(p.length + t.length);
      out.set(p);
      out.set(t, p.length);
      return out;
    }),
  );
}
