/**
 * VerifySignature and DecryptMessage on an established context with fuzzed messages: the client
 * signs or seals, one buffer is mutated (or replaced, or the buffer list reshaped) in flight, and
 * the server must never accept a changed TOKEN or DATA. The untouched message is then delivered
 * with the same sequence number, so the pair stays in step; a pair that fell out of step is rebuilt.
 */
import fc from 'fast-check';
import { SecBufferType, SecPkgAttr, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import type { SecBuffer, SecPkgContextSizes } from '@sspkit/core';
import { SETUPS } from '../packages.js';
import { expectKnown, handshake, harness, release } from '../sspi-harness.js';
import type { Handshake, Harness, PackageSetup } from '../sspi-harness.js';
import { Finding } from '../target.js';
import type { FuzzCase, FuzzTarget } from '../target.js';

interface Pair {
  hs: Handshake;
  sizes: SecPkgContextSizes;
  seq: number;
}

async function establish(h: Harness): Promise<Pair> {
  const hs = await handshake(h);
  if (!hs.done || !hs.client || !hs.server) throw new Error(`${h.setup.package}: no established context`);
  const q = h.sspi.queryContextAttributes(hs.client, SecPkgAttr.SIZES);
  return { hs, sizes: q.buffer as SecPkgContextSizes, seq: 0 };
}

const copy = (bs: readonly SecBuffer[]): SecBuffer[] => bs.map((b) => secBuffer(b.type, Uint8Array.from(b.data)));
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Changes the message in flight; says whether a TOKEN or DATA byte changed (decidable tampering). */
function tamper(c: FuzzCase, sent: SecBuffer[]): { buffers: SecBuffer[]; decidable: boolean; what: string } {
  const buffers = copy(sent);
  const pick = c.rng.below(10);
  if (pick === 0) {
    // Reshape the list: drop, duplicate or retype a buffer.
    const i = c.rng.below(buffers.length);
    const b = buffers[i]!;
    const how = c.rng.below(3);
    if (how === 0) buffers.splice(i, 1);
    else if (how === 1) buffers.push(secBuffer(b.type, Uint8Array.from(b.data)));
    else
      buffers[i] = secBuffer(
        [SecBufferType.EMPTY, SecBufferType.DATA, SecBufferType.TOKEN, 0x7f][c.rng.below(4)]!,
        b.data,
      );
    return { buffers, decidable: false, what: `reshaped buffer ${i}` };
  }
  const i = c.rng.below(buffers.length);
  const b = buffers[i]!;
  const data = c.origin === 'mutation' ? c.mutate(b.data) : c.data;
  buffers[i] = secBuffer(b.type, Uint8Array.from(data));
  // Bytes appended past a whole signature count too: every package refuses a signature of another
  // size (NTLM's is exactly 16 bytes, [MS-NLMP] §2.2.2.9).
  const decidable = (b.type === SecBufferType.TOKEN || b.type === SecBufferType.DATA) && !same(b.data, data);
  const what = `buffer ${i} (type ${b.type}) ${hex(b.data)} -> ${hex(data)}`;
  return { buffers, decidable, what };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function messageTarget(name: 'mock' | 'ntlm' | 'digest-sasl' | 'negotiate'): FuzzTarget {
  const setup = SETUPS[name];
  return messageTargetFor({
    name,
    description: `${setup.package}: VerifySignature/DecryptMessage with mutated messages`,
    setup: () => Promise.resolve(setup),
  });
}

export interface MessageTargetOptions {
  readonly name: string;
  readonly description: string;
  readonly setup: () => Promise<PackageSetup>;
  /** Recorded signatures and sealed messages added to this run's own as seeds. */
  readonly seeds?: () => Uint8Array[];
}

export function messageTargetFor(o: MessageTargetOptions): FuzzTarget {
  const seeds: Uint8Array[] = [];
  return {
    name: `message-${o.name}`,
    description: o.description,
    corpus: () => seeds,
    arbitrary: fc.uint8Array({ maxLength: 200 }),
    prepare: async () => {
      const h = await harness(await o.setup());
      seeds.push(...(o.seeds?.() ?? []));
      let pair = await establish(h);
      const send = (seal: boolean, text: Uint8Array): SecBuffer[] => {
        const { client } = pair.hs;
        const token = secBuffer(
          SecBufferType.TOKEN,
          new Uint8Array(seal ? pair.sizes.securityTrailer : pair.sizes.maxSignature),
        );
        const data = secBuffer(SecBufferType.DATA, Uint8Array.from(text));
        const bufs = seal
          ? [token, data, secBuffer(SecBufferType.PADDING, new Uint8Array(pair.sizes.blockSize))]
          : [data, token];
        const st = seal
          ? h.sspi.encryptMessage(client!, 0, secBufferDesc(...bufs), pair.seq)
          : h.sspi.makeSignature(client!, 0, secBufferDesc(...bufs), pair.seq);
        expectKnown(h, st, seal ? 'EncryptMessage' : 'MakeSignature');
        if (st !== SecStatus.SEC_E_OK)
          throw new Finding(`${seal ? 'EncryptMessage' : 'MakeSignature'} failed: 0x${(st >>> 0).toString(16)}`);
        return bufs.filter((b) => b.type !== SecBufferType.PADDING || b.data.length > 0);
      };
      const receive = (seal: boolean, bufs: SecBuffer[]): number =>
        seal
          ? h.sspi.decryptMessage(pair.hs.server!, secBufferDesc(...bufs), pair.seq)
          : h.sspi.verifySignature(pair.hs.server!, secBufferDesc(...bufs), pair.seq);
      for (const seal of [false, true]) for (const b of send(seal, Buffer.from('seed message'))) seeds.push(b.data);
      // The seeds used sequence numbers the server has not seen: start a fresh pair.
      release(h, pair.hs);
      pair = await establish(h);
      return async (c) => {
        const seal = c.rng.chance(0.5);
        const text = c.rng.chance(0.5) ? c.data.subarray(0, 64) : Buffer.from('a001 SELECT INBOX');
        const sent = send(seal, text);
        const { buffers, decidable, what } = tamper(c, sent);
        const st = receive(seal, buffers);
        expectKnown(h, st, seal ? 'DecryptMessage' : 'VerifySignature');
        if (decidable && st === SecStatus.SEC_E_OK)
          throw new Finding(`${seal ? 'DecryptMessage' : 'VerifySignature'} accepted a changed message: ${what}`);
        const st2 = st === SecStatus.SEC_E_OK ? st : receive(seal, copy(sent));
        expectKnown(h, st2, 'redelivery');
        pair.seq++;
        if (st2 !== SecStatus.SEC_E_OK) {
          release(h, pair.hs);
          pair = await establish(h);
        }
        await Promise.resolve();
      };
    },
  };
}
