/**
 * Hygiene: exercise everything that touches a secret (good and wrong passwords, bad tokens,
 * messages, queries) while watching faults, returned values, console output and tokens.
 */
import { ContextExport, SecPkgAttr } from '@sspkit/core';
import type { Harness } from '../harness.js';
import { messageBytes, seal, sign, unseal, verify } from '../messages.js';
import type { ConformanceCheck } from '../types.js';
import { protection } from './common.js';

/** Drives the package through its paths, ignoring statuses: the monitor records what leaks. */
async function exercise(h: Harness): Promise<void> {
  const attempt = async (fn: () => unknown): Promise<void> => {
    try {
      await fn();
    } catch {
      // Statuses are judged by the other checks; here only what leaks matters.
    }
  };
  await attempt(async () => {
    const p = await h.pair();
    const mode = protection(h);
    for (const [from, to] of [
      [p.client, p.server],
      [p.server, p.client],
    ] as const) {
      if (mode === 'sign') {
        const s = sign(h.sspiOf(from), from, messageBytes('hygiene'), h.generous);
        verify(h.sspiOf(to), to, s.wire);
        const bad = { ...s.wire, data: messageBytes('tampered') };
        verify(h.sspiOf(to), to, bad);
      } else if (mode === 'seal') {
        const s = seal(h.sspiOf(from), from, messageBytes('hygiene'), h.generous);
        unseal(h.sspiOf(to), to, s.wire);
      }
    }
    for (const a of [
      SecPkgAttr.NAMES,
      SecPkgAttr.NATIVE_NAMES,
      SecPkgAttr.SESSION_KEY,
      SecPkgAttr.FLAGS,
      SecPkgAttr.SIZES,
      SecPkgAttr.PACKAGE_INFO,
    ]) {
      h.serverSspi.queryContextAttributes(p.server, a);
      h.clientSspi.queryContextAttributes(p.client, a);
    }
    h.serverSspi.querySecurityContextToken(p.server);
    h.clientSspi.querySecurityContextToken(p.client);
    h.serverSspi.exportSecurityContext(p.server, ContextExport.RESET_NEW);
  });
  if (h.config.wrongAuthData) {
    await attempt(async () => (await h.handshake({ clientAuth: h.config.wrongAuthData! })).run());
  }
  // Bad tokens where the server expects the client's first one (after its challenge, server-first).
  await attempt(async () => {
    const d = await h.handshake();
    if (await d.runUntilInputFor('server')) await d.step(messageBytes('garbage for the server', 80));
  });
  await attempt(async () => {
    const d = await h.handshake();
    if (await d.runUntilInputFor('server')) await d.step(d.pending!.subarray(0, 5));
  });
  await attempt(async () => {
    const cred = await h.credential('client');
    h.clientSspi.queryCredentialsAttributes(cred, 1);
    h.clientSspi.freeCredentialsHandle(cred);
    h.clientSspi.freeCredentialsHandle(cred);
  });
}

export const hygieneChecks: readonly ConformanceCheck[] = [
  {
    id: 'hygiene.no-faults',
    area: 'hygiene',
    group: 'All functions',
    title: 'no slot throws or returns a malformed result on any path (good, wrong-password and bad-token runs)',
    required: true,
    gate: {},
    async run(h, t) {
      await exercise(h);
      const f = h.monitor.faults[0];
      t.ensure(
        f === undefined,
        'package faults',
        f ? `${h.monitor.faults.length} fault(s); first in ${f.operation}: ${f.message}` : '',
        'none (every outcome is a status)',
      );
      t.note('no faults', 'none');
    },
  },
  {
    id: 'hygiene.secrets',
    area: 'hygiene',
    group: 'All functions',
    title: 'no password appears in an error, a returned value or status text, a log line, or a handshake token',
    required: true,
    gate: {},
    async run(h, t) {
      if (h.config.secrets.length === 0)
        t.skip('no password or secret configured (client.authData.password or secrets)');
      await exercise(h);
      const leaks = h.monitor.leaks();
      t.ensure(leaks.length === 0, 'secrets', leaks.join('; '), 'no secret anywhere');
      t.note(`${h.config.secrets.length} secret(s) never seen`, 'no secret anywhere');
    },
  },
];
