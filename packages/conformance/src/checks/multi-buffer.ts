/**
 * Messages of several buffers, as protocols build them (a header, a body, a trailer): every DATA
 * buffer is sealed, every DATA and SECBUFFER_READONLY_WITH_CHECKSUM buffer is covered by the
 * signature, and read-only buffers are never written (sspi.h SecBuffer: READONLY_WITH_CHECKSUM is
 * "read-only with a checksum"; Microsoft Learn, EncryptMessage (General): the package encrypts the
 * DATA buffers "in place").
 */
import { SecBufferFlag, SecBufferType, SecPkgFlag, secBuffer, secBufferDesc } from '@sspkit/core';
import type { SecBuffer, SecBufferDesc } from '@sspkit/core';
import type { Harness, Pair } from '../harness.js';
import { messageBytes, sameBytes } from '../messages.js';
import type { CheckContext, ConformanceCheck } from '../types.js';
import { S, needMode, offers } from './common.js';

const RO_CHECKSUM = SecBufferFlag.READONLY_WITH_CHECKSUM;

/** The buffers of one message, as the sender lays them out: [type, flags, bytes, name]. */
type Layout = readonly (readonly [number, number, Uint8Array, string])[];

const copy = (desc: SecBufferDesc): SecBufferDesc =>
  secBufferDesc(...desc.buffers.map((b): SecBuffer => secBuffer(b.type, Uint8Array.from(b.data), b.flags)));

function describe(layout: Layout): string {
  return layout
    .map(([, flags, , name]) => `${name}${flags & RO_CHECKSUM ? ' (READONLY_WITH_CHECKSUM)' : ''}`)
    .join(', ');
}

/** Builds the sender's descriptor: TOKEN first for sealing (trailer), last for signing, PADDING after sealing. */
function build(mode: 'sign' | 'seal', layout: Layout, tokenSize: number): SecBufferDesc {
  const data = layout.map(([type, flags, bytes]) => secBuffer(type, Uint8Array.from(bytes), flags));
  const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(tokenSize));
  return mode === 'sign'
    ? secBufferDesc(...data, token)
    : secBufferDesc(token, ...data, secBuffer(SecBufferType.PADDING, new Uint8Array(64)));
}

const send = (h: Harness, mode: 'sign' | 'seal', p: Pair, d: SecBufferDesc): number =>
  mode === 'sign' ? h.clientSspi.makeSignature(p.client, 0, d, 0) : h.clientSspi.encryptMessage(p.client, 0, d, 0);
const receive = (h: Harness, mode: 'sign' | 'seal', p: Pair, d: SecBufferDesc): number =>
  mode === 'sign' ? h.serverSspi.verifySignature(p.server, d, 0) : h.serverSspi.decryptMessage(p.server, d, 0);

/**
 * Sends `layout` from client to server: what must be written (sealed DATA) was, what must not (signed
 * DATA, read-only buffers) was not; the server restores every buffer; a single flipped bit in any
 * covered buffer is refused. The first index of `layout` whose bytes travel is buffer 0 (sign) or 1 (seal).
 */
async function multiBuffer(h: Harness, t: CheckContext, mode: 'sign' | 'seal', layout: Layout): Promise<void> {
  needMode(h, t, mode);
  const [SEND, RECEIVE] = mode === 'sign' ? ['MakeSignature', 'VerifySignature'] : ['EncryptMessage', 'DecryptMessage'];
  const first = mode === 'sign' ? 0 : 1;
  const what = describe(layout);
  const altered = t.accepted('status', [S.SEC_E_MESSAGE_ALTERED]);
  let p = await h.pair();
  const sent = build(mode, layout, h.generous);
  t.status(`${SEND} of ${what}`, send(h, mode, p, sent), [S.SEC_E_OK]);
  layout.forEach(([, flags, bytes, name], i) => {
    const out = sent.buffers[first + i]!.data;
    const readOnly = (flags & (SecBufferFlag.READONLY | RO_CHECKSUM)) !== 0;
    if (mode === 'seal' && !readOnly) {
      t.ensure(!sameBytes(out, bytes) || bytes.length === 0, `${SEND}: ${name}`, 'left in clear', 'sealed in place');
    } else {
      t.ensure(sameBytes(out, bytes), `${SEND}: ${name}`, 'written', 'never written');
    }
  });
  const wire = copy(sent);
  t.status(`${RECEIVE} of ${what}`, receive(h, mode, p, wire), [S.SEC_E_OK]);
  layout.forEach(([, , bytes, name], i) => {
    t.ensure(
      sameBytes(wire.buffers[first + i]!.data, bytes),
      `${RECEIVE}: ${name}`,
      'different bytes',
      'the bytes sent',
    );
  });
  // Each covered buffer: one bit flipped must be refused. A refused message may end the context
  // (RC4 keystreams advance), so each flip is sent on a fresh pair.
  for (const [i, [, flags, bytes, name]] of layout.entries()) {
    if ((flags & SecBufferFlag.READONLY) !== 0 || bytes.length === 0) continue;
    p = await h.pair();
    const d = build(mode, layout, h.generous);
    t.status(`${SEND} of ${what}`, send(h, mode, p, d), [S.SEC_E_OK]);
    const bad = copy(d);
    bad.buffers[first + i]!.data[0]! ^= 0x04;
    t.status(`${RECEIVE} with a bit of ${name} flipped`, receive(h, mode, p, bad), altered);
  }
  t.note(
    `${what}: sealed or signed as required, each covered buffer's bit flip refused`,
    'every covered buffer protected',
  );
}

const twoData: Layout = [
  [SecBufferType.DATA, 0, messageBytes('first DATA buffer', 40), 'DATA buffer 1'],
  [SecBufferType.DATA, 0, messageBytes('second DATA buffer', 40), 'DATA buffer 2'],
];
const withChecksummedHeader: Layout = [
  [SecBufferType.DATA, RO_CHECKSUM, messageBytes('checksummed header', 24), 'header'],
  [SecBufferType.DATA, 0, messageBytes('body', 40), 'body'],
];

export const multiBufferChecks: readonly ConformanceCheck[] = [
  {
    id: 'per-message.multi-buffer-sign',
    area: 'per-message',
    group: 'MakeSignature/VerifySignature',
    title: 'with two DATA buffers, the signature covers both and neither is written',
    required: true,
    gate: { capabilities: SecPkgFlag.INTEGRITY },
    run: (h, t) => multiBuffer(h, t, 'sign', twoData),
  },
  {
    id: 'per-message.multi-buffer-seal',
    area: 'per-message',
    group: 'EncryptMessage/DecryptMessage',
    title: 'with two DATA buffers, both are sealed in place and covered, and both decrypt',
    required: true,
    gate: { capabilities: SecPkgFlag.PRIVACY },
    run: (h, t) => multiBuffer(h, t, 'seal', twoData),
  },
  {
    id: 'per-message.readonly-with-checksum',
    area: 'per-message',
    group: 'MakeSignature/EncryptMessage',
    title: 'a SECBUFFER_READONLY_WITH_CHECKSUM buffer is covered by the signature (sign and seal) and never written',
    required: true,
    gate: { capabilities: SecPkgFlag.READONLY_WITH_CHECKSUM },
    async run(h, t) {
      const modes = (['sign', 'seal'] as const).filter((m) => offers(h, m));
      if (modes.length === 0) t.skip('neither integrity nor confidentiality was declared and granted on both sides');
      for (const mode of modes) await multiBuffer(h, t, mode, withChecksummedHeader);
    },
  },
];
