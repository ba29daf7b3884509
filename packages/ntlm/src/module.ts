import { SecPkgInterfaceVersion, SecStatus } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';
import { NtlmPackageState } from './package-state.js';
import type { NtlmPackageConfig } from './package-state.js';
import { lsaTable } from './table.js';
import { userTable } from './user-table.js';

/**
 * Builds an NTLM package module (the SSP/AP "DLL") with its own handles and configuration: the
 * account store for the acceptor, advertised names and the NTLMv1 opt-in.
 */
export function createNtlmModule(config: NtlmPackageConfig = {}): Required<SecurityPackageModule> {
  const state = new NtlmPackageState(config);
  const lsa = lsaTable(state);
  const user = userTable(state);
  return {
    spLsaModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [lsa],
    }),
    spUserModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [user],
    }),
  };
}

const defaultModule = createNtlmModule();

/** SpLsaModeInitialize of the default NTLM instance (acceptor accounts from NTLM_USER_FILE). */
export const spLsaModeInitialize = defaultModule.spLsaModeInitialize;
/** SpUserModeInitialize of the default NTLM instance. */
export const spUserModeInitialize = defaultModule.spUserModeInitialize;
