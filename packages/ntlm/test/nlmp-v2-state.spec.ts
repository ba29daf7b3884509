import { describe, expect, it } from 'vitest';
import { InMemoryAccountStore } from '../src/accounts.js';
import { NtlmClient } from '../src/client.js';
import type { Environment } from '../src/context.js';
import { decodeAuthenticate } from '../src/messages/authenticate.js';
import { NtlmServer } from '../src/server.js';
import { hex, toHex } from './helpers.js';
import { V } from './vectors.js';

// MS-NLMP §4.2.4.3: the CHALLENGE_MESSAGE of the NTLMv2 example (flags 0xe28a8233, "Server", AV pairs).
const SPEC_CHALLENGE = hex(
  '4e544c4d53535000' +
    '02000000' +
    '0c000c0038000000' +
    '33828ae2' +
    '0123456789abcdef' +
    '0000000000000000' +
    '2400240044000000' +
    '060070170000000f' +
    '530065007200760065007200' +
    '02000c0044006f006d00610069006e0001000c00530065007200760065007200' +
    '00000000',
);

/** §4.2.1 inputs as the environment: Time = 0 (FILETIME), ClientChallenge aa…, RandomSessionKey 55…, ServerChallenge 0123…. */
const specEnv: Environment = {
  now: () => -11_644_473_600_000, // FILETIME 0
  randomBytes: (n) => (n === 8 ? V.clientChallenge.slice() : V.randomSessionKey.slice(0, n)),
};

describe('MS-NLMP §4.2.4 through the state machines', () => {
  it('§4.2.4.3: the client answers the spec CHALLENGE with the §4.2.4.2 responses and key', () => {
    const c = new NtlmClient({
      credentials: { user: V.user, domain: V.domain, password: V.password, workstation: V.workstation },
      allowReflection: true,
      env: specEnv,
    });
    c.step();
    const r = c.step(SPEC_CHALLENGE);
    expect(r.status).toBe('SEC_E_OK');
    const m = decodeAuthenticate(r.token ?? new Uint8Array());
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(toHex(m.value.ntChallengeResponse.subarray(0, 16))).toBe('68cd0ab851e51c96aabc927bebef6a1c'); // §4.2.4.2.2
    expect(toHex(m.value.lmChallengeResponse)).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa'); // §4.2.4.2.1
    expect(toHex(m.value.encryptedRandomSessionKey)).toBe('c5dad2544fc9799094ce1ce90bc9d03e'); // §4.2.4.2.3
    expect(m.value.mic).toBeUndefined(); // no MsvAvTimestamp in the spec CHALLENGE → no MIC
    // The spec's challenge flags minus TARGET_TYPE_SERVER, which an AUTHENTICATE does not echo.
    expect(m.value.flags >>> 0).toBe(0xe2888233);
    expect(Buffer.from(m.value.userName).toString('utf16le')).toBe('User');
    expect(Buffer.from(m.value.workstation).toString('utf16le')).toBe('COMPUTER');
    expect(toHex(c.session?.sessionKey() ?? new Uint8Array())).toBe(toHex(V.randomSessionKey));
  });

  it('§4.2.4: our acceptor refuses that AUTHENTICATE when it answers the spec CHALLENGE instead of ours (target info not echoed)', async () => {
    const env: Environment = {
      now: specEnv.now,
      randomBytes: (n) => (n === 8 ? V.serverChallenge.slice() : new Uint8Array(n)),
    };
    const s = new NtlmServer({
      accounts: new InMemoryAccountStore().addPassword(V.domain, V.user, V.password),
      domain: V.domain,
      computer: V.serverName,
      channelBindings: { mode: 'none' },
      env,
    });
    const c = new NtlmClient({
      credentials: { user: V.user, domain: V.domain, password: V.password },
      allowReflection: true,
      env: specEnv,
    });
    await s.step(c.step().token ?? new Uint8Array());
    // The client answers the spec CHALLENGE (same ServerChallenge, other target info, no timestamp)
    // rather than ours: exactly what a CHALLENGE rewritten in transit looks like. The proof is right,
    // but the blob does not echo our target information, so the acceptor refuses it.
    const auth = c.step(SPEC_CHALLENGE).token ?? new Uint8Array();
    expect((await s.step(auth)).status).toBe('SEC_E_LOGON_DENIED');
    expect(s.session).toBeUndefined();
  });
});
