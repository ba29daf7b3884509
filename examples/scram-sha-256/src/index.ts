// sspkit-example-scram: a third-party package module (named exports only).
export { createScramModule, InMemoryScramUsers, SCRAM_INFO } from './package.js';
export type { ScramPackageConfig, ScramUserStore } from './package.js';
export {
  makeVerifier,
  clientProof,
  verifyProof,
  serverSignature,
  saltedPassword,
  saslPrep,
  parseClientFirst,
  parseServerFirst,
  parseClientFinal,
  parseServerFinal,
} from './scram.js';
export type { ScramVerifier } from './scram.js';
// The package entry is itself a package module (a default instance with one test user).
export { spLsaModeInitialize, spUserModeInitialize, sspkitConformance } from './demo.js';
