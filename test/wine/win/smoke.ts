/**
 * Runs under Windows Node in Wine (test/wine-smoke.int.spec.ts): reports the platform, loads koffi's
 * Windows build and lists secur32's security packages with EnumerateSecurityPackagesW (sspi.h). The
 * declaration is inline and minimal on purpose: the provider's own bindings are tested elsewhere.
 */
import koffi from 'koffi';
import { SecStatus, statusName } from '@sspkit/core';
import { writeResult } from './result.js';

// SecPkgInfoW (sspi.h): fCapabilities, wVersion, wRPCID, cbMaxToken, Name, Comment.
const SecPkgInfoW = koffi.struct('SecPkgInfoW', {
  fCapabilities: 'uint32',
  wVersion: 'uint16',
  wRPCID: 'uint16',
  cbMaxToken: 'uint32',
  Name: 'str16',
  Comment: 'str16',
});
const secur32 = koffi.load('secur32.dll');
const enumerate = secur32.func('__stdcall', 'EnumerateSecurityPackagesW', 'int32', [
  koffi.out(koffi.pointer('uint32')),
  koffi.out(koffi.pointer(koffi.pointer(SecPkgInfoW))),
]);
const freeContextBuffer = secur32.func('__stdcall', 'FreeContextBuffer', 'int32', ['void *']);

const count = [0];
const array: [unknown] = [null];
const status = (enumerate(count, array) as number) >>> 0;
const n = count[0] ?? 0;
const packages =
  status === SecStatus.SEC_E_OK
    ? (koffi.decode(array[0], SecPkgInfoW, n) as Array<{ Name: string; cbMaxToken: number }>)
    : [];
const freed = status === SecStatus.SEC_E_OK ? statusName(freeContextBuffer(array[0]) as number) : null;

writeResult({
  platform: process.platform,
  arch: process.arch,
  node: process.version,
  status: statusName(status),
  packages: packages.map((p) => ({ name: p.Name, maxToken: p.cbMaxToken })),
  freed,
});
