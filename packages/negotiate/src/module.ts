import { SecPkgInterfaceVersion, SecStatus } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';
import type { NegotiateConfig } from './state.js';
import { NegotiateState } from './state.js';
import { lsaTable } from './table.js';
import { userTable } from './user-table.js';

/**
 * Builds a Negotiate package module. It composes whatever packages the registry holds under the
 * configured names (Kerberos and NTLM by default), located when a credential is acquired, so it may be
 * loaded before or after them.
 */
export function createNegotiateModule(config: NegotiateConfig = {}): Required<SecurityPackageModule> {
  const state = new NegotiateState(config);
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

const defaultModule = createNegotiateModule();

/** SpLsaModeInitialize of the default Negotiate instance. */
export const spLsaModeInitialize = defaultModule.spLsaModeInitialize;
/** SpUserModeInitialize of the default Negotiate instance. */
export const spUserModeInitialize = defaultModule.spUserModeInitialize;
