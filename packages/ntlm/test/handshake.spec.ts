import { describe, expect, it } from 'vitest';
import { readUserFile } from '../src/user-file.js';
import { ntHash } from '../src/crypto/owf.js';
import { decodeAuthenticate } from '../src/messages/authenticate.js';
import { AvFlag, AvId, decodeAvPairs, encodeAvPairs, findAvPair } from '../src/messages/av-pairs.js';
import { decodeChallenge, encodeChallenge } from '../src/messages/challenge.js';
import { hasFlag, NegotiateFlag } from '../src/messages/flags.js';
import { NtlmServer } from '../src/server.js';
import { ascii, toHex } from './helpers.js';
import { client, env, handshake, server } from './fixtures.js';

const cb = { applicationData: ascii('tls-server-end-point:0123456789abcdef') };

describe('NTLMv2 handshake (client ↔ server state machines)', () => {
  it('completes with ESS, key exchange, 128-bit, sign and seal; keys and names agree', async () => {
    const c = client();
    const s = server();
    const r = await handshake(c, s);
    expect([r.neg.status, r.chal.status, r.auth.status, r.done.status]).toEqual([
      'SEC_I_CONTINUE_NEEDED',
      'SEC_I_CONTINUE_NEEDED',
      'SEC_E_OK',
      'SEC_E_OK',
    ]);
    const cs = c.session;
    const ss = s.session;
    expect(cs && ss).toBeTruthy();
    if (!cs || !ss) return;
    for (const f of [
      NegotiateFlag.EXTENDED_SESSIONSECURITY,
      NegotiateFlag.KEY_EXCH,
      NegotiateFlag.NEGOTIATE_128,
      NegotiateFlag.SEAL,
    ]) {
      expect(hasFlag(ss.flags, f)).toBe(true);
    }
    expect(toHex(cs.sessionKey())).toBe(toHex(ss.sessionKey()));
    expect(ss.names).toEqual({ user: 'alice', domain: 'EXAMPLE', workstation: 'WS1' });
  });

  it('sends a MIC announced in MsvAvFlags, using the server timestamp', async () => {
    const r = await handshake(client(), server());
    const m = decodeAuthenticate(r.tokens.authenticate ?? new Uint8Array());
    expect(m.ok && m.value.mic?.length).toBe(16);
    if (!m.ok) return;
    const pairs = decodeAvPairs(m.value.ntChallengeResponse.subarray(16 + 28));
    const flags = pairs.ok ? findAvPair(pairs.value, AvId.FLAGS) : undefined;
    expect(flags && (flags[0] ?? 0) & AvFlag.MIC_PRESENT).toBe(AvFlag.MIC_PRESENT);
  });

  it('signs and seals both ways, with per-direction sequence numbers', async () => {
    const c = client();
    const s = server();
    await handshake(c, s);
    const cp = c.session?.protector;
    const sp = s.session?.protector;
    if (!cp || !sp) throw new Error('no session');
    for (let i = 0; i < 3; i++) {
      const msg = ascii(`client message ${i}`);
      const { outputs, signature } = cp.seal([{ data: msg, confidential: true }]);
      expect(sp.unseal([{ data: outputs[0] ?? new Uint8Array(), confidential: true }], signature)?.[0]).toEqual(msg);
      const back = ascii(`server reply ${i}`);
      expect(cp.verify(back, sp.sign(back))).toBe(true);
    }
    // A replayed signature fails: the receiver's sequence number moved on.
    const m = ascii('once');
    const sig = cp.sign(m);
    expect(sp.verify(m, sig)).toBe(true);
    expect(sp.verify(m, sig)).toBe(false);
  });

  it('wipe() zeroes the session key on both ends', async () => {
    const c = client();
    const s = server();
    await handshake(c, s);
    expect(toHex(s.session?.sessionKey() ?? new Uint8Array())).not.toBe('00'.repeat(16));
    c.wipe();
    s.wipe();
    expect(toHex(c.session?.sessionKey() ?? new Uint8Array(1))).toBe('00'.repeat(16));
    expect(toHex(s.session?.sessionKey() ?? new Uint8Array(1))).toBe('00'.repeat(16));
  });

  it('wrong password → SEC_E_LOGON_DENIED', async () => {
    const r = await handshake(
      client({ credentials: { user: 'alice', domain: 'EXAMPLE', password: 'nope' } }),
      server(),
    );
    expect(r.done.status).toBe('SEC_E_LOGON_DENIED');
  });

  it('unknown user → SEC_E_LOGON_DENIED', async () => {
    const r = await handshake(client({ credentials: { user: 'mallory', domain: 'EXAMPLE', password: 'x' } }), server());
    expect(r.done.status).toBe('SEC_E_LOGON_DENIED');
  });

  it('accepts an NT hash instead of a password, and accounts without a domain', async () => {
    const r = await handshake(
      client({ credentials: { user: 'bob', domain: 'ANY', ntHash: ntHash('hunter2') } }),
      server(),
    );
    expect(r.done.status).toBe('SEC_E_OK');
  });

  it('a tampered AUTHENTICATE (flags changed) fails the MIC check', async () => {
    const c = client();
    const s = server();
    const neg = c.step();
    const chal = await s.step(neg.token ?? new Uint8Array());
    const auth = (c.step(chal.token ?? new Uint8Array()).token ?? new Uint8Array()).slice();
    auth[60] = (auth[60] ?? 0) & ~NegotiateFlag.SEAL; // drop SEAL: a downgrade attempt
    expect((await s.step(auth)).status).toBe('SEC_E_MESSAGE_ALTERED');
  });

  it('a NEGOTIATE stripped of Unicode in transit: names fall back to OEM, and the MIC catches the change', async () => {
    const c = client();
    const s = server();
    const neg = (c.step().token ?? new Uint8Array()).slice();
    neg[12] = (neg[12] ?? 0) & ~NegotiateFlag.UNICODE;
    const chal = await s.step(neg);
    const auth = c.step(chal.token ?? new Uint8Array());
    const m = decodeAuthenticate(auth.token ?? new Uint8Array());
    expect(m.ok && Buffer.from(m.value.userName).toString('latin1')).toBe('alice');
    expect(c.session && hasFlag(c.session.flags, NegotiateFlag.UNICODE)).toBe(false);
    // The client's MIC covers the NEGOTIATE it sent, the server's the one it received.
    expect((await s.step(auth.token ?? new Uint8Array())).status).toBe('SEC_E_MESSAGE_ALTERED');
  });

  it('a CHALLENGE stripped of its timestamp in transit (so the client sends no MIC) is refused: the "drop the MIC" downgrade', async () => {
    const c = client();
    const s = server();
    const neg = c.step();
    const chal = decodeChallenge((await s.step(neg.token ?? new Uint8Array())).token ?? new Uint8Array());
    expect(chal.ok).toBe(true);
    if (!chal.ok) return;
    const pairs = decodeAvPairs(chal.value.targetInfo);
    if (!pairs.ok) throw new Error('target info');
    const stripped = encodeChallenge({
      ...chal.value,
      targetInfo: encodeAvPairs(pairs.value.filter((p) => p.id !== AvId.TIMESTAMP)),
    });
    const auth = (c.step(stripped).token ?? new Uint8Array()).slice();
    const m = decodeAuthenticate(auth);
    expect(m.ok && m.value.mic).toBeFalsy(); // the honest client saw no timestamp, so no MIC
    auth[60] = (auth[60] ?? 0) & ~NegotiateFlag.SEAL; // and the attacker now drops SEAL
    expect((await s.step(auth)).status).toBe('SEC_E_LOGON_DENIED');
  });

  it('channel bindings required on the first leg cannot be dropped on the second', async () => {
    const c = client(); // sends no bindings
    const s = server();
    const neg = c.step();
    const chal = await s.step(neg.token ?? new Uint8Array(), { mode: 'require', bindings: cb });
    const auth = c.step(chal.token ?? new Uint8Array());
    expect((await s.step(auth.token ?? new Uint8Array(), { mode: 'none' })).status).toBe('SEC_E_BAD_BINDINGS');
  });

  it('works with an asynchronous account store', async () => {
    const store = {
      lookup: async (user: string) =>
        user === 'alice' ? { user: 'alice', domain: 'EXAMPLE', ntHash: ntHash('Passw0rd!') } : undefined,
    };
    const r = await handshake(
      client(),
      new NtlmServer({ accounts: store, domain: 'EXAMPLE', computer: 'SRV', channelBindings: { mode: 'none' }, env }),
    );
    expect(r.done.status).toBe('SEC_E_OK');
  });

  it('garbage and out-of-order tokens → SEC_E_INVALID_TOKEN / SEC_E_OUT_OF_SEQUENCE, never a throw', async () => {
    expect((await server().step(new Uint8Array([1, 2, 3]))).status).toBe('SEC_E_INVALID_TOKEN');
    const c = client();
    c.step();
    expect(c.step(new Uint8Array(100)).status).toBe('SEC_E_INVALID_TOKEN');
    expect(client().step(new Uint8Array(5)).status).toBe('SEC_E_OUT_OF_SEQUENCE');
  });
});

describe('channel bindings', () => {
  it('matching bindings succeed', async () => {
    const r = await handshake(
      client({ channelBindings: cb }),
      server({ channelBindings: { mode: 'require', bindings: cb } }),
    );
    expect(r.done.status).toBe('SEC_E_OK');
  });
  it('different bindings → SEC_E_BAD_BINDINGS', async () => {
    const other = { applicationData: ascii('tls-server-end-point:ffff') };
    const r = await handshake(
      client({ channelBindings: other }),
      server({ channelBindings: { mode: 'require', bindings: cb } }),
    );
    expect(r.done.status).toBe('SEC_E_BAD_BINDINGS');
  });
  it('a client without bindings does not satisfy a server that has them', async () => {
    const r = await handshake(client(), server({ channelBindings: { mode: 'require', bindings: cb } }));
    expect(r.done.status).toBe('SEC_E_BAD_BINDINGS');
  });
  it('explicit "none" mode ignores whatever the client sent', async () => {
    const r = await handshake(client({ channelBindings: cb }), server({ channelBindings: { mode: 'none' } }));
    expect(r.done.status).toBe('SEC_E_OK');
  });
});

describe('NTLMv1 (opt-in only)', () => {
  it('is refused by a default server', async () => {
    const r = await handshake(client({ useNtlmV1: true }), server());
    expect(r.done.status).toBe('SEC_E_LOGON_DENIED');
  });
  it('works when both ends opt in, with ESS sign/seal', async () => {
    const c = client({ useNtlmV1: true });
    const s = server({ allowNtlmV1: true });
    const r = await handshake(c, s);
    expect(r.done.status).toBe('SEC_E_OK');
    const m = ascii('v1 payload');
    const cp = c.session?.protector;
    const sp = s.session?.protector;
    if (!cp || !sp) throw new Error('no session');
    const { outputs, signature } = cp.seal([{ data: m, confidential: true }]);
    expect(sp.unseal([{ data: outputs[0] ?? new Uint8Array(), confidential: true }], signature)?.[0]).toEqual(m);
  });
  it('v1 with a wrong password is denied', async () => {
    const r = await handshake(
      client({ useNtlmV1: true, credentials: { user: 'alice', domain: 'EXAMPLE', password: 'bad' } }),
      server({ allowNtlmV1: true }),
    );
    expect(r.done.status).toBe('SEC_E_LOGON_DENIED');
  });
});

describe('NTLM_USER_FILE reader', () => {
  it('reads DOMAIN:user:password lines, keeping colons inside passwords', async () => {
    const store = readUserFile('# comment\nEXAMPLE:carol:pa:ss\n\n:dave:pw\n');
    expect(toHex(store.lookup('CAROL', 'example')?.ntHash ?? new Uint8Array())).toBe(toHex(ntHash('pa:ss')));
    const s = new NtlmServer({
      accounts: store,
      domain: 'EXAMPLE',
      computer: 'SRV',
      channelBindings: { mode: 'none' },
      env,
    });
    const r = await handshake(client({ credentials: { user: 'dave', domain: 'WHATEVER', password: 'pw' } }), s);
    expect(r.done.status).toBe('SEC_E_OK');
  });
});
