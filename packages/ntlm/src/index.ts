// The public surface of @sspkit/ntlm: the package module and what configures it, the low-level
// client and server (for composing packages, with the reflection ledger), and the message decoders
// (@sspkit/decode explains tokens with them). The encoders and the crypto are internal; the tests
// and benchmarks import them by relative path.
export { spLsaModeInitialize, spUserModeInitialize, createNtlmModule } from './module.js';
export { sspkitConformance } from './conformance-config.js';
export type { NtlmPackageConfig, NtlmAuthData } from './package-state.js';
export { InMemoryAccountStore } from './accounts.js';
export { readUserFile } from './user-file.js';
export type { AccountStore, NtlmAccount } from './accounts.js';
// core's SEC_CHANNEL_BINDINGS codec, re-exported where NTLM users have always found it.
export { encodeSecChannelBindings, decodeSecChannelBindings } from '@sspkit/core';
export { NtlmClient } from './client.js';
export type { NtlmClientOptions } from './client.js';
export { NtlmServer } from './server.js';
export type { NtlmServerOptions, ServerChannelBindings, TargetNamePolicy } from './server.js';
export { ChallengeLedger, processChallenges } from './reflection.js';
export { NtlmFailure } from './failure.js';
export { NtlmSession } from './context.js';
export type { NtlmStatus, StepResult, SessionNames, Environment } from './context.js';
export type { NtlmCredentials } from './credentials.js';
export { channelBindingsHash } from './crypto/channel-bindings.js';
export type { ChannelBindings } from './crypto/channel-bindings.js';
export { decodeNegotiate } from './messages/negotiate.js';
export type { NegotiateMessage } from './messages/negotiate.js';
export { decodeChallenge } from './messages/challenge.js';
export type { ChallengeMessage } from './messages/challenge.js';
export { decodeAuthenticate } from './messages/authenticate.js';
export type { AuthenticateMessage } from './messages/authenticate.js';
export { AvId, AvFlag, decodeAvPairs } from './messages/av-pairs.js';
export type { AvPair } from './messages/av-pairs.js';
export { NegotiateFlag } from './messages/flags.js';
export type { DecodeResult, DecodeError, DecodeErrorCode } from './messages/result.js';
export type { Version } from './messages/version.js';
