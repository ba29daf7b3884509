import { describe, expect, it } from 'vitest';
import { IscReq, IscRet, SecBufferType, SecPkgAttr, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import { initLeg } from '../src/adapter/handshake.js';
import { makeSignature } from '../src/adapter/messages.js';
import { HandleTables, liveHandleCount } from '../src/adapter/state.js';
import type { Native } from '../src/adapter/state.js';
import type { Advapi32, Secur32 } from '../src/ffi/secur32.js';
import type { NativeBlock } from '../src/marshal/memory.js';
import { FakeMemory } from './fake-memory.js';

/** The block holding `address` (what secur32 would write through). */
function blockAt(mem: FakeMemory, address: bigint): NativeBlock {
  for (const b of mem.blocks.values())
    if (address >= b.address && address < b.address + BigInt(b.bytes.length)) return b;
  throw new Error(`no block at ${address}`);
}

function dv(b: NativeBlock): DataView {
  return new DataView(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
}

/** A fake secur32: only the functions a test sets exist; the rest throw. */
function fakeNative(mem: FakeMemory, fns: Partial<Record<keyof Secur32, unknown>>): Native {
  const secur32 = new Proxy(fns, {
    get: (t, k: string) =>
      t[k as keyof Secur32] ??
      (() => {
        throw new Error(`unexpected ${k}`);
      }),
  }) as unknown as Secur32;
  return { secur32, advapi32: {} as Advapi32, memory: mem };
}

describe('the adapter against a fake secur32', () => {
  it('under ISC_REQ_ALLOCATE_MEMORY gives secur32 cbMaxToken buffers without the flag, the caller an exact copy', async () => {
    const mem = new FakeMemory();
    const seen: { req: number; cbBuffer: number }[] = [];
    const isc = (...a: unknown[]): number => {
      const [, , , req, , , , , newCtx, output] = a as [null, null, string, number, 0, 0, null, 0, bigint, bigint];
      const desc = blockAt(mem, output);
      const array = blockAt(mem, dv(desc).getBigUint64(8, true));
      const token = blockAt(mem, dv(array).getBigUint64(8, true));
      seen.push({ req, cbBuffer: dv(array).getUint32(0, true) });
      token.bytes.set([1, 2, 3]);
      dv(array).setUint32(0, 3, true);
      blockAt(mem, newCtx).bytes.fill(7);
      return SecStatus.SEC_I_CONTINUE_NEEDED | 0;
    };
    const native = fakeNative(mem, {
      InitializeSecurityContextW: Object.assign(isc, {
        async: (...a: unknown[]) => (a.pop() as (e: unknown, r: number) => void)(null, isc(...a)),
      }),
    });
    const tables = new HandleTables();
    const h = tables.addCred({ handle: mem.alloc(16), use: 2, expiry: 0n });
    const out = secBuffer(SecBufferType.TOKEN);
    const r = await initLeg(
      native,
      tables,
      h,
      undefined,
      'HTTP/x',
      IscReq.ALLOCATE_MEMORY | IscReq.INTEGRITY,
      0x10,
      undefined,
      secBufferDesc(out),
      48000,
    );
    expect(r.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    expect(seen).toEqual([{ req: IscReq.INTEGRITY, cbBuffer: 48000 }]);
    expect([...out.data]).toEqual([1, 2, 3]);
    expect(out.data.buffer.byteLength).toBe(3); // a fresh buffer of the token's size
    expect(r.contextAttributes! & IscRet.ALLOCATED_MEMORY).toBe(IscRet.ALLOCATED_MEMORY);
    expect(r.newContextHandle).toBeDefined();
    // Only the credential's and the new context's handle blocks are left.
    expect(mem.blocks.size).toBe(2);
    tables.dropContext(Number(r.newContextHandle));
    tables.dropCred(h);
    expect(liveHandleCount()).toBe(0);
  });

  it('refuses a TOKEN buffer smaller than cbMaxSignature before MakeSignature can write past it', () => {
    const mem = new FakeMemory();
    let signed = 0;
    const native = fakeNative(mem, {
      QueryContextAttributesW: (_ctx: bigint, attr: number, buffer: bigint) => {
        expect(attr).toBe(SecPkgAttr.SIZES);
        const v = dv(blockAt(mem, buffer));
        v.setUint32(4, 28, true); // cbMaxSignature
        v.setUint32(12, 60, true); // cbSecurityTrailer
        return 0;
      },
      MakeSignature: () => {
        signed++;
        return 0;
      },
    });
    const tables = new HandleTables();
    const h = tables.addContext({
      handle: mem.alloc(16),
      side: 'client',
      requested: 0,
      attributes: 0,
      expiry: 0n,
      complete: true,
      lastFailure: undefined,
    });
    const data = secBuffer(SecBufferType.DATA, new Uint8Array([1]));
    expect(
      makeSignature(native, tables, h, 0, secBufferDesc(data, secBuffer(SecBufferType.TOKEN, new Uint8Array(4))), 0),
    ).toBe(SecStatus.SEC_E_BUFFER_TOO_SMALL);
    expect(signed).toBe(0);
    expect(String(tables.contexts.get(h)!.lastFailure)).toContain('4 bytes, 28 needed');
    expect(
      makeSignature(native, tables, h, 0, secBufferDesc(data, secBuffer(SecBufferType.TOKEN, new Uint8Array(28))), 0),
    ).toBe(0);
    expect(signed).toBe(1);
    tables.dropContext(h);
  });
});
