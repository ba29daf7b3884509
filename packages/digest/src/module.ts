/**
 * The Digest package module: SpLsaModeInitialize / SpUserModeInitialize over one shared state, as an
 * SSP/AP DLL exports them. `createDigestModule` makes an independent instance with its own defaults.
 */
import { SecPkgInterfaceVersion, SecStatus } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';
import type { DigestModuleDefaults } from './credentials.js';
import { createLsaTable } from './lsa-table.js';
import { DigestState } from './state.js';
import { createUserTable } from './user-table.js';

/**
 * Out-of-the-box defaults: realm `sspkit`, the demo users alice and bob (test fixtures, not secrets,
 * the same as the Mock package's), and alice as the identity of clients that pass no credentials.
 */
export const DEFAULT_DIGEST_DEFAULTS: DigestModuleDefaults = {
  realm: 'sspkit',
  users: [
    { username: 'alice', realm: 'sspkit', password: 'alice-password', groups: ['users', 'digest-admins'] },
    { username: 'bob', realm: 'sspkit', password: 'bob-password', groups: ['users'] },
  ],
  defaultClient: { username: 'alice', password: 'alice-password' },
};

/** Creates a Digest package module with its own handles and defaults. */
export function createDigestModule(
  defaults: DigestModuleDefaults = DEFAULT_DIGEST_DEFAULTS,
): SecurityPackageModule & Required<Pick<SecurityPackageModule, 'spUserModeInitialize'>> {
  const state = new DigestState(defaults);
  const lsa = createLsaTable(state);
  const user = createUserTable(state);
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
