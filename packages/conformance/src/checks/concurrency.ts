/** Concurrency: many handshakes and message streams interleaved, with no cross-talk. */
import { SecPkgAttr } from '@sspkit/core';
import type { HandshakeDriver } from '../handshake.js';
import { messageBytes, seal, sign, unseal, verify } from '../messages.js';
import type { Wire } from '../messages.js';
import type { ConformanceCheck } from '../types.js';
import { S, ok, protection } from './common.js';

const PAIRS = 6;

export const concurrencyChecks: readonly ConformanceCheck[] = [
  {
    id: 'concurrency.interleaved',
    area: 'concurrency',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: `${PAIRS} handshakes run leg by leg concurrently, then their message streams interleave with no cross-talk`,
    required: true,
    gate: {},
    async run(h, t) {
      const drivers: HandshakeDriver[] = [];
      for (let i = 0; i < PAIRS; i++) drivers.push(await h.handshake());
      // One leg of every handshake per round, all in flight together.
      while (drivers.some((d) => d.state === 'running')) await Promise.all(drivers.map((d) => d.step()));
      drivers.forEach((d, i) =>
        t.ensure(d.state === 'done', `handshake ${i + 1} of ${PAIRS}`, d.describe(), 'a completed handshake'),
      );
      const mode = protection(h);
      if (mode) {
        const send = (i: number, from: 'client' | 'server'): { status: number; wire: Wire } => {
          const d = drivers[i]!;
          const ctx = from === 'client' ? d.client! : d.server!;
          const data = messageBytes(`pair ${i} ${from}`);
          return mode === 'sign'
            ? sign(h.sspiOf(ctx), ctx, data, h.generous)
            : seal(h.sspiOf(ctx), ctx, data, h.generous);
        };
        const receive = (i: number, at: 'client' | 'server', wire: Wire): number => {
          const d = drivers[i]!;
          const ctx = at === 'client' ? d.client! : d.server!;
          return mode === 'sign' ? verify(h.sspiOf(ctx), ctx, wire) : unseal(h.sspiOf(ctx), ctx, wire).status;
        };
        for (const [from, to] of [
          ['client', 'server'],
          ['server', 'client'],
        ] as const) {
          const sent = drivers.map((_, i) => send(i, from));
          sent.forEach((s, i) => t.status(`pair ${i + 1}: ${from} sends`, s.status, [S.SEC_E_OK]));
          // Received in reverse order of sending, each on its own pair.
          for (let i = PAIRS - 1; i >= 0; i--)
            t.status(`pair ${i + 1}: ${to} receives its own message`, receive(i, to, sent[i]!.wire), [S.SEC_E_OK]);
        }
        // Cross-talk: a message of pair i must not be accepted by pair i+1.
        for (let i = 0; i < PAIRS; i++) {
          const s = send(i, 'client');
          const j = (i + 1) % PAIRS;
          const st = receive(j, 'server', s.wire);
          t.ensure(
            !ok(st),
            `pair ${j + 1} receives a message of pair ${i + 1}`,
            'SEC_E_OK',
            'an error (no cross-talk)',
          );
        }
      }
      const keys = drivers.map((d) => h.sspiOf(d.client!).queryContextAttributes(d.client!, SecPkgAttr.SESSION_KEY));
      const bytes = keys.map((k) =>
        k.status === S.SEC_E_OK ? (k.buffer as { sessionKey?: unknown } | undefined)?.sessionKey : undefined,
      );
      // A malformed SESSION_KEY is attributes.session-key's finding; here only real keys are compared.
      if (bytes.every((b): b is Uint8Array => b instanceof Uint8Array)) {
        const hex = bytes.map((b) => Buffer.from(b).toString('hex'));
        t.ensure(
          new Set(hex).size === PAIRS,
          'session keys',
          `${new Set(hex).size} distinct`,
          `${PAIRS} distinct keys`,
        );
      }
      t.note(`${PAIRS} pairs, no cross-talk`, 'independent contexts');
    },
  },
];
