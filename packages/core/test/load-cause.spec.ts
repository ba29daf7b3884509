/** The exception a package module throws while loading is kept as the refusal's cause. */
import { describe, expect, it } from 'vitest';
import { Registry, SecPkgInterfaceVersion, SecStatus, isSspiError } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';

const S = SecStatus;
const V = SecPkgInterfaceVersion;
const info = {
  status: S.SEC_E_OK,
  packageInfo: { name: 'p', comment: '', capabilities: 0, version: 1, rpcId: 0xffff, maxToken: 10 },
};

async function refusal(module: SecurityPackageModule): Promise<unknown> {
  return new Registry().load(module).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('a module that throws at load time', () => {
  const boom = new Error('libexample.so.3: cannot open shared object file');
  it.each([
    [
      'SpLsaModeInitialize',
      {
        spLsaModeInitialize: () => {
          throw boom;
        },
      },
    ],
    [
      'SpInitialize',
      {
        spLsaModeInitialize: () => ({
          status: S.SEC_E_OK,
          packageVersion: V.VERSION,
          tables: [
            {
              initialize: () => {
                throw boom;
              },
              getInfo: () => info,
            },
          ],
        }),
      },
    ],
    [
      'SpUserModeInitialize',
      {
        spLsaModeInitialize: () => ({
          status: S.SEC_E_OK,
          packageVersion: V.VERSION,
          tables: [{ getInfo: () => info }],
        }),
        spUserModeInitialize: () => {
          throw boom;
        },
      },
    ],
    [
      'SpInstanceInit',
      {
        spLsaModeInitialize: () => ({
          status: S.SEC_E_OK,
          packageVersion: V.VERSION,
          tables: [{ getInfo: () => info }],
        }),
        spUserModeInitialize: () => ({
          status: S.SEC_E_OK,
          packageVersion: V.VERSION,
          tables: [
            {
              instanceInit: () => {
                throw boom;
              },
            },
          ],
        }),
      },
    ],
  ] as [string, SecurityPackageModule][])(
    'in %s: SEC_E_CANNOT_INSTALL, with the thrown error as cause',
    async (_where, module) => {
      const e = await refusal(module);
      expect(isSspiError(e)).toBe(true);
      expect(e).toMatchObject({ code: 'SEC_E_CANNOT_INSTALL' });
      expect((e as Error).message).toMatch(/threw/);
      expect((e as Error).cause).toBe(boom);
    },
  );
});
