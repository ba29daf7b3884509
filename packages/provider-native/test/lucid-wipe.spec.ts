/** DeleteSecurityContext wipes the keys of a context whose RFC 4121 tokens sspkit makes (src/lucid). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HandleTables } from '../src/adapter/state.js';
import type { NativeHandle } from '../src/ffi/index.js';
import { sessionFromLucid } from '../src/lucid/index.js';

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
    const tables = new HandleTables();
    let released = 0;
    const handle = tables.addContext({
      side: 'client',
      ctx: { release: () => void released++ } as unknown as NativeHandle,
      mech: 'krb5',
      target: null,
      cred: null,
      requested: 0,
      complete: true,
      gssFlags: 0,
      start: 0,
      expiry: 0,
      source: null,
      delegated: null,
      negotiated: new Uint8Array(0),
      rfc4121: session,
    });
    tables.dropContext(handle);
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
