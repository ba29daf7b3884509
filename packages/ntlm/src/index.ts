// The public surface of @sspkit/ntlm: the package module and what configures it. The client and
// server state machines, the message codecs and the crypto are internal; the tests and benchmarks
// import them by relative path.
export { spLsaModeInitialize, spUserModeInitialize, createNtlmModule } from './module.js';
export type { NtlmPackageConfig, NtlmAuthData } from './package-state.js';
export { InMemoryAccountStore, readUserFile } from './accounts.js';
export type { AccountStore, NtlmAccount } from './accounts.js';
export { encodeSecChannelBindings } from './messages/sec-channel-bindings.js';
