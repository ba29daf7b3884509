/**
 * Type-level contract, checked by `tsc -p tsconfig.json` (every `@ts-expect-error` line must be an
 * error, or the type check fails): attribute results are typed per SECPKG_ATTR_* id, and
 * SspiError.code is the union of status names.
 */
import { describe, expect, it } from 'vitest';
import { SecPkgAttr, SecStatus, SspiError, contextAttribute } from '@sspkit/core';
import type { ContextAttributeValue, CtxtHandle, SspiDispatcher, StatusName } from '@sspkit/core';

/** Never called: only compiled. */
function typeOnly(sspi: SspiDispatcher, ctx: CtxtHandle): void {
  const names = sspi.queryContextAttributes(ctx, SecPkgAttr.NAMES).buffer;
  const user: string | undefined = names?.userName;
  // @ts-expect-error the field is userName (sUserName is the C name)
  void names?.sUserName;
  const sizes = sspi.queryContextAttributes(ctx, SecPkgAttr.SIZES).buffer;
  const max: number | undefined = sizes?.maxSignature;
  // @ts-expect-error the field is maxSignature (cbMaxSignature is the C name)
  void sizes?.cbMaxSignature;
  const key: Uint8Array | undefined = sspi.queryContextAttributes(ctx, SecPkgAttr.SESSION_KEY).buffer?.sessionKey;
  const lifespan: bigint | undefined = sspi.queryContextAttributes(ctx, SecPkgAttr.LIFESPAN).buffer?.expiry;
  // An attribute the map does not list is the package's own shape: unknown.
  const other: unknown = sspi.queryContextAttributes(ctx, SecPkgAttr.DCE_INFO).buffer;
  void [user, max, key, lifespan, other];
}

describe('typed attribute results', () => {
  it('contextAttribute builds a package answer checked against the map', () => {
    const answer = contextAttribute(SecPkgAttr.NAMES, { userName: 'EXAMPLE\\alice' });
    expect(answer).toEqual({ status: 0, buffer: { userName: 'EXAMPLE\\alice' } });
    // @ts-expect-error a misspelled field of the package's answer
    contextAttribute(SecPkgAttr.FLAGS, { flag: 1 });
    // @ts-expect-error the wrong shape for the attribute
    contextAttribute(SecPkgAttr.SESSION_KEY, { sessionKey: 'not bytes' });
    const v: ContextAttributeValue<typeof SecPkgAttr.PACKAGE_INFO> = {
      packageInfo: { name: 'x', comment: '', capabilities: 0, version: 1, rpcId: 0xffff, maxToken: 1 },
    };
    expect(v.packageInfo.name).toBe('x');
    expect(typeOnly).toBeTypeOf('function');
  });
});

describe('SspiError.code', () => {
  it('is a union of status names, so a switch narrows and a misspelled case does not compile', () => {
    const e = new SspiError(SecStatus.SEC_E_LOGON_DENIED, 'AcceptSecurityContext');
    const kind = (code: StatusName): string => {
      // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- a few codes, the rest by default
      switch (code) {
        case 'SEC_E_LOGON_DENIED':
          return 'denied';
        case 'STATUS_LOGON_FAILURE':
          return 'denied (NTSTATUS)';
        // @ts-expect-error no such status
        case 'SEC_E_LOGON_DENIED_':
          return 'typo';
        default:
          return code;
      }
    };
    expect(kind(e.code)).toBe('denied');
    expect(new SspiError(0x80091234).code).toBe('0x80091234');
  });
});
