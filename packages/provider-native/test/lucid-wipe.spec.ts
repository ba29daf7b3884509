/** DeleteSecurityContext wipes the keys of a context whose RFC 4121 tokens sspkit makes (src/lucid). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionFromLucid } from '../src/lucid/index.js';
import { dropContextHolding } from './fixtures/dropped-context.js';

describe('key wiping', () => {
  it('dropping the context zeroes the context key and the acceptor subkey, and the session makes no more tokens', () => {
    const key = randomBytes(32);
    const sub = randomBytes(32);
    const session = sessionFromLucid(
      {
        initiate: true,
        protocol: 1,
        sendSeq: 1n,
        recvSeq: 1n,
        ctxKey: { enctype: 18, key },
        acceptorSubkey: { enctype: 18, key: sub },
      },
      0,
    );
    expect(session).not.toBeNull();
    session!.wrap(true, Buffer.from('derives the sealing keys'));
    session!.getMic([Buffer.from('and the signing ones')]);
    let released = 0;
    dropContextHolding(session!, () => void released++);
    expect(released).toBe(1);
    expect(key.every((b) => b === 0)).toBe(true);
    expect(sub.every((b) => b === 0)).toBe(true);
    expect(() => session!.wrap(true, Buffer.from('x'))).toThrow(/wiped/);
  });

  it('an enctype sspkit does not implement keeps the library, and its key copy is zeroed at once', () => {
    const key = randomBytes(16);
    expect(
      sessionFromLucid(
        { initiate: false, protocol: 1, sendSeq: 0n, recvSeq: 0n, ctxKey: { enctype: 25, key }, acceptorSubkey: null },
        0,
      ),
    ).toBeNull();
    expect(key.every((b) => b === 0)).toBe(true);
  });
});
