import { describe, expect, it } from 'vitest';
import { splitChallenges } from '@sspkit/core';

describe('splitChallenges (RFC 7235 §4.1)', () => {
  it('splits schemes, token68 and auth-param lists, a comma inside quotes kept', () => {
    expect(
      splitChallenges(
        'Negotiate, NTLM, Digest realm="a, b", nonce="n", algorithm=SHA-256, Negotiate YII=, Basic realm="x"',
      ),
    ).toEqual([
      { scheme: 'Negotiate', rest: '' },
      { scheme: 'NTLM', rest: '' },
      { scheme: 'Digest', rest: 'realm="a, b", nonce="n", algorithm=SHA-256' },
      { scheme: 'Negotiate', rest: 'YII=' },
      { scheme: 'Basic', rest: 'realm="x"' },
    ]);
  });
  it('never throws on garbage', () => {
    for (const s of ['', ',,,', '"', 'Digest realm="unterminated', '=', 'a=b=c', '\u0000\u00ff'])
      expect(() => splitChallenges(s)).not.toThrow();
  });
});
