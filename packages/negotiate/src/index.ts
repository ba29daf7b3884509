// The public surface of @sspkit/negotiate: named exports only.
export { createNegotiateModule, spLsaModeInitialize, spUserModeInitialize } from './module.js';
export { DEFAULT_PACKAGES, NEGOTIATE_MAX_TOKEN, negotiateInfo } from './state.js';
export type { NegotiateConfig } from './state.js';
export type { NegotiateAuthData } from './credentials.js';
export type { SecpkgGssInfo } from './mechanisms.js';
export { applyPackageList } from './package-list.js';
export type { PackageListResult } from './package-list.js';
export * from './messages/index.js';
