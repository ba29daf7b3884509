/**
 * secur32.dll, advapi32.dll and kernel32.dll functions the provider calls, declared `__stdcall` as the
 * headers do (SEC_ENTRY and WINAPI are __stdcall; x64 has one calling convention and koffi ignores it
 * there, 32-bit x86 would not). Every structure is laid out by src/marshal and passed by address, so
 * no call converts a JS object; each entry keeps its C prototype in its comment.
 */
import type { LibraryHandle } from 'koffi';

/** A native address (koffi 3 pointers are BigInts); 0n or null for NULL. */
export type Ptr = bigint | null;

export type Fn<A extends unknown[], R = number> = ((...args: A) => R) & {
  async: (...args: [...A, (err: unknown, result: R) => void]) => void;
};

/** The secur32 exports, by C name. SECURITY_STATUS is a LONG: compare it `>>> 0`. */
export interface Secur32 {
  // SECURITY_STATUS EnumerateSecurityPackagesW(unsigned long *pcPackages, PSecPkgInfoW *ppPackageInfo)
  readonly EnumerateSecurityPackagesW: Fn<[Ptr, Ptr]>;
  // SECURITY_STATUS AcquireCredentialsHandleW(LPWSTR pszPrincipal, LPWSTR pszPackage, unsigned long fCredentialUse,
  //   void *pvLogonId, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument, PCredHandle phCredential,
  //   PTimeStamp ptsExpiry)
  readonly AcquireCredentialsHandleW: Fn<[string | null, string, number, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // SECURITY_STATUS FreeCredentialsHandle(PCredHandle phCredential)
  readonly FreeCredentialsHandle: Fn<[Ptr]>;
  // SECURITY_STATUS InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
  //   SEC_WCHAR *pszTargetName, unsigned long fContextReq, unsigned long Reserved1, unsigned long TargetDataRep,
  //   PSecBufferDesc pInput, unsigned long Reserved2, PCtxtHandle phNewContext, PSecBufferDesc pOutput,
  //   unsigned long *pfContextAttr, PTimeStamp ptsExpiry)
  readonly InitializeSecurityContextW: Fn<
    [Ptr, Ptr, string | null, number, number, number, Ptr, number, Ptr, Ptr, Ptr, Ptr]
  >;
  // SECURITY_STATUS AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
  //   unsigned long fContextReq, unsigned long TargetDataRep, PCtxtHandle phNewContext, PSecBufferDesc pOutput,
  //   unsigned long *pfContextAttr, PTimeStamp ptsExpiry)
  readonly AcceptSecurityContext: Fn<[Ptr, Ptr, Ptr, number, number, Ptr, Ptr, Ptr, Ptr]>;
  // SECURITY_STATUS CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
  readonly CompleteAuthToken: Fn<[Ptr, Ptr]>;
  // SECURITY_STATUS DeleteSecurityContext(PCtxtHandle phContext)
  readonly DeleteSecurityContext: Fn<[Ptr]>;
  // SECURITY_STATUS QueryContextAttributesW(PCtxtHandle phContext, unsigned long ulAttribute, void *pBuffer)
  readonly QueryContextAttributesW: Fn<[Ptr, number, Ptr]>;
  // SECURITY_STATUS QuerySecurityContextToken(PCtxtHandle phContext, void **Token)
  readonly QuerySecurityContextToken: Fn<[Ptr, Ptr]>;
  // SECURITY_STATUS ImpersonateSecurityContext(PCtxtHandle phContext)
  readonly ImpersonateSecurityContext: Fn<[Ptr]>;
  // SECURITY_STATUS RevertSecurityContext(PCtxtHandle phContext)
  readonly RevertSecurityContext: Fn<[Ptr]>;
  // SECURITY_STATUS MakeSignature(PCtxtHandle phContext, unsigned long fQOP, PSecBufferDesc pMessage,
  //   unsigned long MessageSeqNo)
  readonly MakeSignature: Fn<[Ptr, number, Ptr, number]>;
  // SECURITY_STATUS VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage, unsigned long MessageSeqNo,
  //   unsigned long *pfQOP)
  readonly VerifySignature: Fn<[Ptr, Ptr, number, Ptr]>;
  // SECURITY_STATUS EncryptMessage(PCtxtHandle phContext, unsigned long fQOP, PSecBufferDesc pMessage,
  //   unsigned long MessageSeqNo)
  readonly EncryptMessage: Fn<[Ptr, number, Ptr, number]>;
  // SECURITY_STATUS DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, unsigned long MessageSeqNo,
  //   unsigned long *pfQOP)
  readonly DecryptMessage: Fn<[Ptr, Ptr, number, Ptr]>;
  // SECURITY_STATUS ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext,
  //   void **pToken)
  readonly ExportSecurityContext: Fn<[Ptr, number, Ptr, Ptr]>;
  // SECURITY_STATUS ImportSecurityContextW(LPWSTR pszPackage, PSecBuffer pPackedContext, void *Token,
  //   PCtxtHandle phContext)
  readonly ImportSecurityContextW: Fn<[string, Ptr, Ptr, Ptr]>;
  // SECURITY_STATUS FreeContextBuffer(PVOID pvContextBuffer)
  readonly FreeContextBuffer: Fn<[Ptr]>;
}

/** advapi32 and kernel32: the access token's contents, SID names, and closing the token handle. */
export interface Advapi32 {
  // BOOL GetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
  //   LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength)
  readonly GetTokenInformation: Fn<[Ptr, number, Ptr, number, Ptr]>;
  // BOOL ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid)
  readonly ConvertSidToStringSidW: Fn<[Ptr, Ptr]>;
  // BOOL LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName,
  //   LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
  readonly LookupAccountSidW: Fn<[string | null, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr]>;
  // BOOL LookupPrivilegeNameW(LPCWSTR lpSystemName, PLUID lpLuid, LPWSTR lpName, LPDWORD cchName)
  readonly LookupPrivilegeNameW: Fn<[string | null, Ptr, Ptr, Ptr]>;
  // BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
  readonly OpenProcessToken: Fn<[Ptr, number, Ptr]>;
  // HANDLE GetCurrentProcess(void)  (kernel32)
  readonly GetCurrentProcess: Fn<[], Ptr>;
  // BOOL CloseHandle(HANDLE hObject)  (kernel32)
  readonly CloseHandle: Fn<[Ptr]>;
  // HLOCAL LocalFree(HLOCAL hMem)  (kernel32)
  readonly LocalFree: Fn<[Ptr], Ptr>;
  // BOOL GetProcessHandleCount(HANDLE hProcess, PDWORD pdwHandleCount)  (kernel32)
  readonly GetProcessHandleCount: Fn<[Ptr, Ptr]>;
  // DWORD GetLastError(void)  (kernel32)
  readonly GetLastError: Fn<[]>;
}

const SS = 'int32_t'; // SECURITY_STATUS (LONG)

/** Binds the secur32 exports. */
export function bindSecur32(lib: LibraryHandle): Secur32 {
  const f = (name: string, args: string[]): unknown => lib.func('__stdcall', name, SS, args);
  return {
    EnumerateSecurityPackagesW: f('EnumerateSecurityPackagesW', ['uint32_t *', 'SecPkgInfoW **']),
    AcquireCredentialsHandleW: f('AcquireCredentialsHandleW', [
      'const char16_t *',
      'const char16_t *',
      'uint32_t',
      'void *',
      'void *',
      'void *',
      'void *',
      'CredHandle *',
      'TimeStamp *',
    ]),
    FreeCredentialsHandle: f('FreeCredentialsHandle', ['CredHandle *']),
    InitializeSecurityContextW: f('InitializeSecurityContextW', [
      'CredHandle *',
      'CtxtHandle *',
      'const char16_t *',
      'uint32_t',
      'uint32_t',
      'uint32_t',
      'SecBufferDesc *',
      'uint32_t',
      'CtxtHandle *',
      'SecBufferDesc *',
      'uint32_t *',
      'TimeStamp *',
    ]),
    AcceptSecurityContext: f('AcceptSecurityContext', [
      'CredHandle *',
      'CtxtHandle *',
      'SecBufferDesc *',
      'uint32_t',
      'uint32_t',
      'CtxtHandle *',
      'SecBufferDesc *',
      'uint32_t *',
      'TimeStamp *',
    ]),
    CompleteAuthToken: f('CompleteAuthToken', ['CtxtHandle *', 'SecBufferDesc *']),
    DeleteSecurityContext: f('DeleteSecurityContext', ['CtxtHandle *']),
    QueryContextAttributesW: f('QueryContextAttributesW', ['CtxtHandle *', 'uint32_t', 'void *']),
    QuerySecurityContextToken: f('QuerySecurityContextToken', ['CtxtHandle *', 'void **']),
    ImpersonateSecurityContext: f('ImpersonateSecurityContext', ['CtxtHandle *']),
    RevertSecurityContext: f('RevertSecurityContext', ['CtxtHandle *']),
    MakeSignature: f('MakeSignature', ['CtxtHandle *', 'uint32_t', 'SecBufferDesc *', 'uint32_t']),
    VerifySignature: f('VerifySignature', ['CtxtHandle *', 'SecBufferDesc *', 'uint32_t', 'uint32_t *']),
    EncryptMessage: f('EncryptMessage', ['CtxtHandle *', 'uint32_t', 'SecBufferDesc *', 'uint32_t']),
    DecryptMessage: f('DecryptMessage', ['CtxtHandle *', 'SecBufferDesc *', 'uint32_t', 'uint32_t *']),
    ExportSecurityContext: f('ExportSecurityContext', ['CtxtHandle *', 'uint32_t', 'SecBuffer *', 'void **']),
    ImportSecurityContextW: f('ImportSecurityContextW', ['const char16_t *', 'SecBuffer *', 'void *', 'CtxtHandle *']),
    FreeContextBuffer: f('FreeContextBuffer', ['void *']),
  } as Secur32;
}

/** Binds the advapi32 and kernel32 functions. */
export function bindAdvapi32(advapi: LibraryHandle, kernel: LibraryHandle): Advapi32 {
  const b = (lib: LibraryHandle, name: string, ret: string, args: string[]): unknown =>
    lib.func('__stdcall', name, ret, args);
  return {
    GetTokenInformation: b(advapi, 'GetTokenInformation', 'int', ['void *', 'int', 'void *', 'uint32_t', 'uint32_t *']),
    ConvertSidToStringSidW: b(advapi, 'ConvertSidToStringSidW', 'int', ['void *', 'void **']),
    LookupAccountSidW: b(advapi, 'LookupAccountSidW', 'int', [
      'const char16_t *',
      'void *',
      'void *',
      'uint32_t *',
      'void *',
      'uint32_t *',
      'int *',
    ]),
    LookupPrivilegeNameW: b(advapi, 'LookupPrivilegeNameW', 'int', [
      'const char16_t *',
      'LUID *',
      'void *',
      'uint32_t *',
    ]),
    OpenProcessToken: b(advapi, 'OpenProcessToken', 'int', ['void *', 'uint32_t', 'void **']),
    GetCurrentProcess: b(kernel, 'GetCurrentProcess', 'void *', []),
    CloseHandle: b(kernel, 'CloseHandle', 'int', ['void *']),
    LocalFree: b(kernel, 'LocalFree', 'void *', ['void *']),
    GetProcessHandleCount: b(kernel, 'GetProcessHandleCount', 'int', ['void *', 'uint32_t *']),
    GetLastError: b(kernel, 'GetLastError', 'uint32_t', []),
  } as Advapi32;
}
