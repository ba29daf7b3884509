/**
 * One module holding several packages, as one SSP/AP DLL may (the i-th user table belongs to the
 * i-th LSA table): how the conformance harness, which loads a single module, gets Negotiate together
 * with the packages it composes. The first module's package comes first.
 */
import { SecStatus } from '@sspkit/core';
import type {
  SecpkgFunctionTable,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
  SpModeInitializeResult,
} from '@sspkit/core';

export function bundleModules(...modules: readonly SecurityPackageModule[]): SecurityPackageModule {
  return {
    async spLsaModeInitialize(v) {
      const parts = await Promise.all(modules.map(async (m) => m.spLsaModeInitialize(v)));
      const tables = parts.flatMap((p) => [...p.tables]);
      // Every table keeps the slots it has: the highest version masks none of them away.
      const packageVersion = Math.max(...parts.map((p) => p.packageVersion));
      return {
        status: SecStatus.SEC_E_OK,
        packageVersion,
        tables,
      } satisfies SpModeInitializeResult<SecpkgFunctionTable>;
    },
    async spUserModeInitialize(v) {
      const parts = await Promise.all(modules.map(async (m) => m.spUserModeInitialize?.(v)));
      const tables: SecpkgUserFunctionTable[] = parts.map((p) => p?.tables[0] ?? {});
      const packageVersion = Math.max(...parts.map((p) => p?.packageVersion ?? 0x10000));
      return {
        status: SecStatus.SEC_E_OK,
        packageVersion,
        tables,
      } satisfies SpModeInitializeResult<SecpkgUserFunctionTable>;
    },
  };
}
