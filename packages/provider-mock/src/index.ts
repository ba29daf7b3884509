// @sspkit/provider-mock: named exports only.
import { MockPackage } from './package.js';
import type { SecurityPackageModule } from '@sspkit/core';

export { MockPackage } from './package.js';
export type { MockPackageOptions } from './package.js';
export { DEFAULT_LOG_LIMIT, Script } from './script.js';
export type { ScriptRule, CallRecord, MockSlot } from './script.js';
export { MockUserDatabase, DEFAULT_USERS, MOCK_DOMAIN } from './users.js';
export type { MockUser } from './users.js';

/** Creates a fresh Mock package (its own users, script, log and contexts). */
export function createMockPackage(options?: ConstructorParameters<typeof MockPackage>[0]): MockPackage {
  return new MockPackage(options);
}

const defaultInstance = new MockPackage();

/**
 * The module entry points of a default Mock instance, so this package can itself be loaded as a
 * package module (`sspkit conformance @sspkit/provider-mock`).
 */
export const spLsaModeInitialize: SecurityPackageModule['spLsaModeInitialize'] = (v) =>
  defaultInstance.module.spLsaModeInitialize(v);
export const spUserModeInitialize: NonNullable<SecurityPackageModule['spUserModeInitialize']> = (v) =>
  defaultInstance.module.spUserModeInitialize!(v);

/**
 * Credentials for `sspkit conformance @sspkit/provider-mock`: the default instance's demo user.
 * (A fixture, not a secret.)
 */
export const sspkitConformance = { client: { authData: { user: 'alice', password: 'alice-password' } } };
