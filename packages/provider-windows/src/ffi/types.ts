/**
 * The sspi.h, winnt.h and rpcdce.h structures, declared to koffi as the headers write them. The
 * marshalling code lays buffers out itself (src/marshal, against the sizes in Layout); these
 * declarations are what secur32's prototypes name, and the Wine tests check both agree.
 */
import type { TypeObject } from 'koffi';
import type { Koffi } from './koffi.js';

/** The declared types, by their header names. */
export interface SspiTypes {
  readonly SecHandle: TypeObject;
  readonly SecBuffer: TypeObject;
  readonly SecBufferDesc: TypeObject;
  readonly SecPkgInfoW: TypeObject;
  readonly SEC_WINNT_AUTH_IDENTITY_W: TypeObject;
  readonly SEC_WINNT_AUTH_IDENTITY_EXW: TypeObject;
  readonly TimeStamp: TypeObject;
  readonly LUID: TypeObject;
}

/** Declares every structure once per process (koffi refuses a second declaration of a name). */
export function declareTypes(koffi: Koffi): SspiTypes {
  const SecHandle = koffi.struct('SecHandle', { dwLower: 'uintptr_t', dwUpper: 'uintptr_t' });
  koffi.alias('CredHandle', SecHandle);
  koffi.alias('CtxtHandle', SecHandle);
  const TimeStamp = koffi.alias('TimeStamp', 'int64_t');
  const SecBuffer = koffi.struct('SecBuffer', { cbBuffer: 'uint32_t', BufferType: 'uint32_t', pvBuffer: 'void *' });
  const SecBufferDesc = koffi.struct('SecBufferDesc', {
    ulVersion: 'uint32_t',
    cBuffers: 'uint32_t',
    pBuffers: 'SecBuffer *',
  });
  const SecPkgInfoW = koffi.struct('SecPkgInfoW', {
    fCapabilities: 'uint32_t',
    wVersion: 'uint16_t',
    wRPCID: 'uint16_t',
    cbMaxToken: 'uint32_t',
    Name: 'char16_t *',
    Comment: 'char16_t *',
  });
  const SEC_WINNT_AUTH_IDENTITY_W = koffi.struct('SEC_WINNT_AUTH_IDENTITY_W', {
    User: 'char16_t *',
    UserLength: 'uint32_t',
    Domain: 'char16_t *',
    DomainLength: 'uint32_t',
    Password: 'char16_t *',
    PasswordLength: 'uint32_t',
    Flags: 'uint32_t',
  });
  const SEC_WINNT_AUTH_IDENTITY_EXW = koffi.struct('SEC_WINNT_AUTH_IDENTITY_EXW', {
    Version: 'uint32_t',
    Length: 'uint32_t',
    User: 'char16_t *',
    UserLength: 'uint32_t',
    Domain: 'char16_t *',
    DomainLength: 'uint32_t',
    Password: 'char16_t *',
    PasswordLength: 'uint32_t',
    Flags: 'uint32_t',
    PackageList: 'char16_t *',
    PackageListLength: 'uint32_t',
  });
  const LUID = koffi.struct('LUID', { LowPart: 'uint32_t', HighPart: 'int32_t' });
  return {
    SecHandle,
    SecBuffer,
    SecBufferDesc,
    SecPkgInfoW,
    SEC_WINNT_AUTH_IDENTITY_W,
    SEC_WINNT_AUTH_IDENTITY_EXW,
    TimeStamp,
    LUID,
  };
}
