import { describe, expect, it } from 'vitest';
import { SecBufferFlag, SecBufferType, secBuffer, secBufferDesc } from '@sspkit/core';
import { marshalDesc, nativeState, releaseDesc, unmarshalDesc } from '../src/marshal/buffers.js';
import { FakeMemory } from './fake-memory.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('SecBufferDesc marshalling (sspi.h layout, x64)', () => {
  it('lays out ulVersion, cBuffers, pBuffers and each SecBuffer as cbBuffer, BufferType (with attribute bits), pvBuffer', () => {
    const mem = new FakeMemory();
    const desc = secBufferDesc(
      secBuffer(SecBufferType.DATA, bytes('abc'), SecBufferFlag.READONLY),
      secBuffer(SecBufferType.TOKEN, new Uint8Array(0)),
    );
    const m = marshalDesc(mem, desc, 'in');
    const head = new DataView(m.desc.bytes.buffer);
    expect(head.getUint32(0, true)).toBe(0);
    expect(head.getUint32(4, true)).toBe(2);
    expect(head.getBigUint64(8, true)).toBe(m.array!.address);
    const s = nativeState(mem, m);
    expect(s[0]).toEqual({ size: 3, typeWord: (0x80000000 | 1) >>> 0, pointer: { address: m.blocks[0]!.address } });
    expect(Buffer.from(m.blocks[0]!.bytes).toString()).toBe('abc');
    // An empty buffer goes as NULL with cbBuffer 0, not as a zero-length allocation.
    expect(s[1]).toEqual({ size: 0, typeWord: 2, pointer: null });
    releaseDesc(mem, m);
    expect(mem.blocks.size).toBe(0);
  });

  it('writes a signature into the caller’s TOKEN buffer in place and narrows it to the bytes written', () => {
    const mem = new FakeMemory();
    const tokenSpace = new Uint8Array(64);
    const token = secBuffer(SecBufferType.TOKEN, tokenSpace);
    const desc = secBufferDesc(secBuffer(SecBufferType.DATA, bytes('message')), token);
    const m = marshalDesc(mem, desc, 'in');
    m.blocks[1]!.bytes.set([1, 2, 3, 4]);
    mem.setBuffer(m.array!, 1, 4, SecBufferType.TOKEN, m.blocks[1]!.address);
    expect(unmarshalDesc(mem, m, desc)).toBe(0);
    expect([...token.data]).toEqual([1, 2, 3, 4]);
    expect(token.data.buffer).toBe(tokenSpace.buffer); // the caller's own memory
    releaseDesc(mem, m);
  });

  it('never writes back into a READONLY buffer, even when the native side changed its copy', () => {
    const mem = new FakeMemory();
    const header = bytes('header');
    const desc = secBufferDesc(secBuffer(SecBufferType.DATA, header, SecBufferFlag.READONLY_WITH_CHECKSUM));
    const m = marshalDesc(mem, desc, 'in');
    m.blocks[0]!.bytes.fill(0x58);
    unmarshalDesc(mem, m, desc);
    expect(Buffer.from(header).toString()).toBe('header');
    releaseDesc(mem, m);
  });

  it('maps a DATA buffer that DecryptMessage pointed inside the STREAM buffer to a view of the caller’s stream', () => {
    const mem = new FakeMemory();
    const stream = bytes('HDRplaintextTRL');
    const desc = secBufferDesc(secBuffer(SecBufferType.STREAM, stream), secBuffer(SecBufferType.DATA));
    const m = marshalDesc(mem, desc, 'in');
    mem.setBuffer(m.array!, 1, 9, SecBufferType.DATA, m.blocks[0]!.address + 3n);
    unmarshalDesc(mem, m, desc);
    expect(Buffer.from(desc.buffers[1]!.data).toString()).toBe('plaintext');
    expect(desc.buffers[1]!.data.buffer).toBe(stream.buffer);
    releaseDesc(mem, m);
  });

  it('copies a token the package allocated (ALLOCATE_MEMORY) and releases it with FreeContextBuffer', () => {
    const mem = new FakeMemory();
    const out = secBuffer(SecBufferType.TOKEN);
    const desc = secBufferDesc(out);
    const m = marshalDesc(mem, desc, 'out-allocate');
    expect(nativeState(mem, m)[0]).toEqual({ size: 0, typeWord: 2, pointer: null });
    const address = mem.packageAlloc(bytes('token!'));
    mem.setBuffer(m.array!, 0, 6, SecBufferType.TOKEN, address);
    unmarshalDesc(mem, m, desc);
    expect(Buffer.from(out.data).toString()).toBe('token!');
    expect(mem.freedContextBuffers).toEqual([address]);
    releaseDesc(mem, m);
  });

  it('gives a caller-sized output buffer its capacity as cbBuffer (the package answers BUFFER_TOO_SMALL itself)', () => {
    const mem = new FakeMemory();
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(100)));
    const m = marshalDesc(mem, desc, 'out');
    expect(nativeState(mem, m)[0]!.size).toBe(100);
    releaseDesc(mem, m);
  });

  it('reserves cbMaxToken of native memory behind a small output buffer, still declaring the caller’s size', () => {
    // Defence in depth: a package writing more than cbBuffer would write into memory of ours.
    const mem = new FakeMemory();
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(1)));
    const m = marshalDesc(mem, desc, 'out', 12000);
    expect(nativeState(mem, m)[0]!.size).toBe(1);
    expect(m.blocks[0]!.bytes.length).toBe(12000);
    releaseDesc(mem, m);
  });

  it('turns SECBUFFER_EXTRA into the unprocessed tail of the input token, and MISSING into its count', () => {
    const mem = new FakeMemory();
    const input = bytes('first-tokenEXTRA');
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, input), secBuffer(SecBufferType.EMPTY));
    const m = marshalDesc(mem, desc, 'in');
    mem.setBuffer(m.array!, 1, 5, SecBufferType.EXTRA, 0n);
    unmarshalDesc(mem, m, desc);
    expect(desc.buffers[1]!.type).toBe(SecBufferType.EXTRA);
    expect(Buffer.from(desc.buffers[1]!.data).toString()).toBe('EXTRA');
    releaseDesc(mem, m);

    const d2 = secBufferDesc(secBuffer(SecBufferType.STREAM, bytes('part')), secBuffer(SecBufferType.EMPTY));
    const m2 = marshalDesc(mem, d2, 'in');
    mem.setBuffer(m2.array!, 1, 12, SecBufferType.MISSING, 0n);
    unmarshalDesc(mem, m2, d2);
    expect(d2.buffers[1]!.type).toBe(SecBufferType.MISSING);
    expect(d2.buffers[1]!.data.length).toBe(12);
    releaseDesc(mem, m2);
  });

  it('wipes every native copy of tokens and messages when it frees them', () => {
    const mem = new FakeMemory();
    const m = marshalDesc(mem, secBufferDesc(secBuffer(SecBufferType.DATA, bytes('secret message'))), 'in');
    releaseDesc(mem, m);
    for (const f of mem.freed) expect(f.bytes.every((b) => b === 0)).toBe(true);
  });
});
