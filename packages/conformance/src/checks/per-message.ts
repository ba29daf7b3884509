/**
 * Per-message protection: round trips both ways, every single-bit flip refused, replays and
 * reorders refused where the handshake granted detection, sealed output hiding the plaintext,
 * SECPKG_ATTR_SIZES telling the truth, TOKEN buffer errors, read-only buffers untouched.
 */
import {
  AscRet,
  IscRet,
  SecBufferFlag,
  SecBufferType,
  SecPkgAttr,
  SecPkgFlag,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { CtxtHandle, SecPkgContextSizes } from '@sspkit/core';
import type { Harness } from '../harness.js';
import { statusList } from '../outcome.js';
import { copyWire, messageBytes, sameBytes, seal, sign, unseal, verify } from '../messages.js';
import type { Wire } from '../messages.js';
import type { CheckContext, ConformanceCheck } from '../types.js';
import { S, bothWays, exchange, needMode, needProtection, offers, query } from './common.js';

type Mode = 'sign' | 'seal';
const SEND = { sign: 'MakeSignature', seal: 'EncryptMessage' } as const;
const RECEIVE = { sign: 'VerifySignature', seal: 'DecryptMessage' } as const;

function send(
  h: Harness,
  mode: Mode,
  ctx: CtxtHandle,
  data: Uint8Array,
  tokenSize = h.generous,
): { status: number; wire: Wire } {
  return mode === 'sign' ? sign(h.sspiOf(ctx), ctx, data, tokenSize) : seal(h.sspiOf(ctx), ctx, data, tokenSize);
}

function receive(h: Harness, mode: Mode, ctx: CtxtHandle, wire: Wire): number {
  return mode === 'sign' ? verify(h.sspiOf(ctx), ctx, wire) : unseal(h.sspiOf(ctx), ctx, wire).status;
}

/**
 * Flips every bit of data ‖ token ‖ padding of fresh messages, one flip per message. A context may
 * be unusable after a refused message (RC4-based packages are); when the untouched message then
 * fails too, the next flip gets a new context pair.
 */
async function bitFlips(h: Harness, t: CheckContext, mode: Mode): Promise<void> {
  needMode(h, t, mode);
  const accepted = t.accepted('status', [S.SEC_E_MESSAGE_ALTERED]);
  const data = Uint8Array.of(0x5a, 0xa5, 0x00, 0xff);
  let flips = 0;
  let pairs = 0;
  for (const direction of ['client→server', 'server→client'] as const) {
    let p = await h.pair();
    pairs++;
    for (let bit = 0; ; bit++) {
      const [from, to] = direction === 'client→server' ? [p.client, p.server] : [p.server, p.client];
      const s = send(h, mode, from, data);
      t.status(`${SEND[mode]} ${direction}`, s.status, [S.SEC_E_OK]);
      const parts = [
        ['data', s.wire.data],
        ['signature', s.wire.token],
        ['padding', s.wire.padding],
      ] as const;
      const total = parts.reduce((n, [, b]) => n + b.length * 8, 0);
      if (bit >= total) break;
      const altered = copyWire(s.wire);
      let offset = bit;
      for (const [name, bytes] of parts) {
        if (offset < bytes.length * 8) {
          const target = name === 'data' ? altered.data : name === 'signature' ? altered.token : altered.padding;
          target[offset >> 3]! ^= 1 << (offset & 7);
          t.status(
            `${RECEIVE[mode]} ${direction} with ${name} byte ${offset >> 3} bit ${offset & 7} flipped`,
            receive(h, mode, to, altered),
            accepted,
          );
          break;
        }
        offset -= bytes.length * 8;
      }
      flips++;
      if (receive(h, mode, to, s.wire) !== S.SEC_E_OK) {
        p = await h.pair();
        pairs++;
      }
    }
  }
  t.note(
    `${flips} single-bit flips refused (${pairs} context pairs)`,
    `every flip refused with ${statusList(accepted)}`,
  );
}

async function replayOrReorder(h: Harness, t: CheckContext, kind: 'replay' | 'reorder'): Promise<void> {
  const mode = needProtection(h, t);
  const accepted = t.accepted('status', [S.SEC_E_OUT_OF_SEQUENCE]);
  const p = await h.pair();
  const directions: [CtxtHandle, CtxtHandle, string][] = [[p.client, p.server, 'client→server']];
  const clientBit = kind === 'replay' ? IscRet.REPLAY_DETECT : IscRet.SEQUENCE_DETECT;
  if ((p.driver.clientAttributes & clientBit) !== 0) directions.push([p.server, p.client, 'server→client']);
  for (const [from, to, label] of directions) {
    const m1 = send(h, mode, from, messageBytes(`${label} 1`));
    t.status(`${SEND[mode]} ${label} (1)`, m1.status, [S.SEC_E_OK]);
    if (kind === 'replay') {
      t.status(`${RECEIVE[mode]} ${label} (1)`, receive(h, mode, to, m1.wire), [S.SEC_E_OK]);
      t.status(`${RECEIVE[mode]} ${label} (1) replayed`, receive(h, mode, to, m1.wire), accepted);
    } else {
      const m2 = send(h, mode, from, messageBytes(`${label} 2`));
      t.status(`${SEND[mode]} ${label} (2)`, m2.status, [S.SEC_E_OK]);
      t.status(`${RECEIVE[mode]} ${label} (2) before (1)`, receive(h, mode, to, m2.wire), accepted);
    }
  }
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).includes(
    Buffer.from(needle.buffer, needle.byteOffset, needle.length),
  );
}

export const perMessageChecks: readonly ConformanceCheck[] = [
  {
    id: 'per-message.sign-roundtrip',
    area: 'per-message',
    group: 'MakeSignature/VerifySignature',
    title: 'signatures verify in both directions, message after message',
    required: true,
    gate: { capabilities: SecPkgFlag.INTEGRITY },
    async run(h, t) {
      needMode(h, t, 'sign');
      const p = await h.pair();
      for (let i = 1; i <= 3; i++) bothWays(h, t, 'sign', p, `message ${i}`);
    },
  },
  {
    id: 'per-message.seal-roundtrip',
    area: 'per-message',
    group: 'EncryptMessage/DecryptMessage',
    title: 'sealed messages decrypt to the plaintext in both directions, message after message',
    required: true,
    gate: { capabilities: SecPkgFlag.PRIVACY },
    async run(h, t) {
      needMode(h, t, 'seal');
      const p = await h.pair();
      for (let i = 1; i <= 3; i++) bothWays(h, t, 'seal', p, `message ${i}`);
    },
  },
  {
    id: 'per-message.sign-bit-flips',
    area: 'per-message',
    group: 'MakeSignature/VerifySignature',
    title: 'every single-bit flip of data or signature gives SEC_E_MESSAGE_ALTERED',
    required: true,
    gate: { capabilities: SecPkgFlag.INTEGRITY },
    run: (h, t) => bitFlips(h, t, 'sign'),
  },
  {
    id: 'per-message.seal-bit-flips',
    area: 'per-message',
    group: 'EncryptMessage/DecryptMessage',
    title: 'every single-bit flip of ciphertext or trailer gives SEC_E_MESSAGE_ALTERED',
    required: true,
    gate: { capabilities: SecPkgFlag.PRIVACY },
    run: (h, t) => bitFlips(h, t, 'seal'),
  },
  {
    id: 'per-message.replay',
    area: 'per-message',
    group: 'MakeSignature/VerifySignature',
    title: 'with REPLAY_DETECT granted, a replayed message gives SEC_E_OUT_OF_SEQUENCE',
    required: true,
    gate: { serverGranted: AscRet.REPLAY_DETECT },
    run: (h, t) => replayOrReorder(h, t, 'replay'),
  },
  {
    id: 'per-message.reorder',
    area: 'per-message',
    group: 'MakeSignature/VerifySignature',
    title: 'with SEQUENCE_DETECT granted, a message received out of order gives SEC_E_OUT_OF_SEQUENCE',
    required: true,
    gate: { serverGranted: AscRet.SEQUENCE_DETECT },
    run: (h, t) => replayOrReorder(h, t, 'reorder'),
  },
  {
    id: 'per-message.seal-hides-plaintext',
    area: 'per-message',
    group: 'EncryptMessage/DecryptMessage',
    title: 'sealed output contains no 8-byte run of the plaintext',
    required: true,
    gate: { capabilities: SecPkgFlag.PRIVACY },
    async run(h, t) {
      needMode(h, t, 'seal');
      const p = await h.pair();
      const plain = new TextEncoder().encode(
        'sspkit conformance plaintext: attack at dawn, bring the documents. '.repeat(2),
      );
      const s = seal(h.clientSspi, p.client, plain, h.generous);
      t.status('EncryptMessage', s.status, [S.SEC_E_OK]);
      const all = Uint8Array.from([...s.wire.data, ...s.wire.token, ...s.wire.padding]);
      for (let i = 0; i + 8 <= plain.length; i++) {
        if (contains(all, plain.subarray(i, i + 8)))
          t.fail('EncryptMessage output', `plaintext bytes ${i}…${i + 7} in clear`, 'no 8-byte run of the plaintext');
      }
      t.note('no plaintext run found', 'no 8-byte run of the plaintext');
    },
  },
  {
    id: 'per-message.sizes',
    area: 'per-message',
    group: 'QueryContextAttributes',
    title:
      'SECPKG_ATTR_SIZES: a TOKEN buffer of exactly maxSignature (cbMaxSignature) / securityTrailer (cbSecurityTrailer) bytes is enough',
    required: true,
    gate: {},
    async run(h, t) {
      needProtection(h, t);
      const p = await h.pair();
      const r = query(h, t, p.client, SecPkgAttr.SIZES);
      t.status('QueryContextAttributes(SECPKG_ATTR_SIZES)', r.status, [S.SEC_E_OK]);
      const z = r.buffer as Partial<SecPkgContextSizes> | undefined;
      const fields = ['maxToken', 'maxSignature', 'blockSize', 'securityTrailer'] as const;
      for (const f of fields)
        t.ensure(Number.isInteger(z?.[f]) && z![f]! >= 0, `SIZES.${f}`, String(z?.[f]), 'a non-negative integer');
      const data = messageBytes('sizes', 40);
      if (offers(h, 'sign')) {
        const s = sign(h.clientSspi, p.client, data, z!.maxSignature!);
        t.status(`MakeSignature into a ${z!.maxSignature} byte TOKEN buffer (SIZES.maxSignature)`, s.status, [
          S.SEC_E_OK,
        ]);
        t.status('VerifySignature', verify(h.serverSspi, p.server, s.wire), [S.SEC_E_OK]);
      }
      if (offers(h, 'seal')) {
        const s = seal(h.clientSspi, p.client, data, z!.securityTrailer!);
        t.status(`EncryptMessage into a ${z!.securityTrailer} byte TOKEN buffer (SIZES.securityTrailer)`, s.status, [
          S.SEC_E_OK,
        ]);
        t.status('DecryptMessage', unseal(h.serverSspi, p.server, s.wire).status, [S.SEC_E_OK]);
      }
      t.note(
        `maxSignature ${z!.maxSignature}, securityTrailer ${z!.securityTrailer}`,
        'sizes that fit what the package writes',
      );
    },
  },
  {
    id: 'per-message.token-buffer',
    area: 'per-message',
    group: 'MakeSignature/EncryptMessage',
    title:
      'a missing TOKEN buffer gives SEC_E_INVALID_TOKEN, a 1-byte one SEC_E_BUFFER_TOO_SMALL, and the context still works',
    required: true,
    gate: {},
    async run(h, t) {
      needProtection(h, t);
      const p = await h.pair();
      const modes: Mode[] = [];
      if (offers(h, 'sign')) modes.push('sign');
      if (offers(h, 'seal')) modes.push('seal');
      for (const mode of modes) {
        const call = (desc: ReturnType<typeof secBufferDesc>): number =>
          mode === 'sign'
            ? h.clientSspi.makeSignature(p.client, 0, desc, 0)
            : h.clientSspi.encryptMessage(p.client, 0, desc, 0);
        const data = (): ReturnType<typeof secBuffer> =>
          secBuffer(SecBufferType.DATA, messageBytes('token buffer', 40));
        t.status(
          `${SEND[mode]} without a TOKEN buffer`,
          call(secBufferDesc(data())),
          t.accepted('missing', [S.SEC_E_INVALID_TOKEN]),
        );
        t.status(
          `${SEND[mode]} with a 1-byte TOKEN buffer`,
          call(secBufferDesc(data(), secBuffer(SecBufferType.TOKEN, new Uint8Array(1)))),
          t.accepted('too-small', [S.SEC_E_BUFFER_TOO_SMALL]),
        );
        exchange(h, t, mode, p.client, p.server, `${mode} after the refused calls`);
      }
    },
  },
  {
    id: 'per-message.readonly-buffers',
    area: 'per-message',
    group: 'MakeSignature/EncryptMessage',
    title: 'SECBUFFER_READONLY buffers are never written, on either side',
    required: true,
    gate: {},
    async run(h, t) {
      needProtection(h, t);
      const p = await h.pair();
      const header = messageBytes('read-only header', 24);
      const body = messageBytes('body', 40);
      const RO = SecBufferFlag.READONLY;
      if (offers(h, 'sign')) {
        const desc = secBufferDesc(
          secBuffer(SecBufferType.DATA, Uint8Array.from(header), RO),
          secBuffer(SecBufferType.DATA, Uint8Array.from(body)),
          secBuffer(SecBufferType.TOKEN, new Uint8Array(h.generous)),
        );
        t.status('MakeSignature with a read-only DATA buffer', h.clientSspi.makeSignature(p.client, 0, desc, 0), [
          S.SEC_E_OK,
        ]);
        t.ensure(sameBytes(desc.buffers[0]!.data, header), 'MakeSignature read-only buffer', 'changed', 'unchanged');
        const v = secBufferDesc(
          secBuffer(SecBufferType.DATA, Uint8Array.from(header), RO),
          secBuffer(SecBufferType.DATA, Uint8Array.from(body)),
          secBuffer(SecBufferType.TOKEN, Uint8Array.from(desc.buffers[2]!.data)),
        );
        t.status('VerifySignature with a read-only DATA buffer', h.serverSspi.verifySignature(p.server, v, 0), [
          S.SEC_E_OK,
        ]);
        t.ensure(sameBytes(v.buffers[0]!.data, header), 'VerifySignature read-only buffer', 'changed', 'unchanged');
      }
      if (offers(h, 'seal')) {
        const desc = secBufferDesc(
          secBuffer(SecBufferType.TOKEN, new Uint8Array(h.generous)),
          secBuffer(SecBufferType.DATA, Uint8Array.from(header), RO),
          secBuffer(SecBufferType.DATA, Uint8Array.from(body)),
          secBuffer(SecBufferType.PADDING, new Uint8Array(64)),
        );
        t.status('EncryptMessage with a read-only DATA buffer', h.clientSspi.encryptMessage(p.client, 0, desc, 0), [
          S.SEC_E_OK,
        ]);
        t.ensure(sameBytes(desc.buffers[1]!.data, header), 'EncryptMessage read-only buffer', 'changed', 'unchanged');
        const d = secBufferDesc(
          secBuffer(SecBufferType.TOKEN, Uint8Array.from(desc.buffers[0]!.data)),
          secBuffer(SecBufferType.DATA, Uint8Array.from(header), RO),
          secBuffer(SecBufferType.DATA, Uint8Array.from(desc.buffers[2]!.data)),
          secBuffer(SecBufferType.PADDING, Uint8Array.from(desc.buffers[3]!.data)),
        );
        t.status('DecryptMessage with a read-only DATA buffer', h.serverSspi.decryptMessage(p.server, d, 0), [
          S.SEC_E_OK,
        ]);
        t.ensure(sameBytes(d.buffers[1]!.data, header), 'DecryptMessage read-only buffer', 'changed', 'unchanged');
        t.ensure(
          sameBytes(d.buffers[2]!.data, body),
          'DecryptMessage plaintext',
          'different bytes',
          'the original plaintext',
        );
      }
    },
  },
  {
    id: 'per-message.incomplete-context',
    area: 'per-message',
    group: 'MakeSignature/EncryptMessage',
    title: 'per-message calls on a context whose handshake is not finished are refused',
    required: true,
    gate: {},
    async run(h, t) {
      // Declared, not granted: nothing is granted before the handshake ends, and the call must be refused either way.
      const mode = h.declares(SecPkgFlag.INTEGRITY)
        ? 'sign'
        : h.declares(SecPkgFlag.PRIVACY)
          ? 'seal'
          : t.skip('the package declares neither SECPKG_FLAG_INTEGRITY nor SECPKG_FLAG_PRIVACY');
      const d = await h.handshake();
      await d.step();
      if (d.clientDone || !d.client) return t.skip("the client's first leg completes its side");
      t.status(
        `${SEND[mode]} after the first leg`,
        send(h, mode, d.client, messageBytes('early')).status,
        t.accepted('status', [S.SEC_E_OUT_OF_SEQUENCE, S.SEC_E_INVALID_HANDLE]),
      );
    },
  },
];
