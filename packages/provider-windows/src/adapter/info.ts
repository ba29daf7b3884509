/** EnumerateSecurityPackagesW: the packages Windows offers, as sspkit's SecPkgInfo. */
import { SecStatus } from '@sspkit/core';
import type { SecPkgInfo } from '@sspkit/core';
import { getUlong } from '../marshal/memory.js';
import type { Native } from './state.js';

/** SecPkgInfoW on x64: ULONG fCapabilities; USHORT wVersion, wRPCID; ULONG cbMaxToken; SEC_WCHAR *Name, *Comment. */
const SEC_PKG_INFO_W = 32;

/** Every package secur32 enumerates, read and the array released with FreeContextBuffer. */
export function enumeratePackages(native: Native): { status: number; packages: SecPkgInfo[] } {
  const { memory, secur32 } = native;
  const out = memory.alloc(16); // unsigned long count at 0, PSecPkgInfoW at 8
  try {
    const status = secur32.EnumerateSecurityPackagesW(out.address, out.address + 8n) >>> 0;
    if (status !== SecStatus.SEC_E_OK) return { status, packages: [] };
    const count = getUlong(out, 0);
    const array = memory.pointerAt(out, 8);
    if (array === null) return { status, packages: [] };
    const bytes = memory.read(array, count * SEC_PKG_INFO_W);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const packages: SecPkgInfo[] = [];
    for (let i = 0; i < count; i++) {
      const at = i * SEC_PKG_INFO_W;
      const wide = (offset: number): string => {
        const address = v.getBigUint64(at + offset, true);
        return address === 0n ? '' : memory.readWide({ address });
      };
      packages.push({
        capabilities: v.getUint32(at, true),
        version: v.getUint16(at + 4, true),
        rpcId: v.getUint16(at + 6, true),
        maxToken: v.getUint32(at + 8, true),
        name: wide(16),
        comment: wide(24),
      });
    }
    memory.freeContextBuffer(array);
    return { status, packages };
  } finally {
    memory.free(out);
  }
}
