/**
 * The module `sspkit conformance` is pointed at: a SCRAM instance with one test user, and the
 * credentials the suite should use (fixtures, not secrets). The package entry exports the same
 * instance, so `sspkit conformance examples/scram-sha-256` is equivalent.
 */
export { spLsaModeInitialize, spUserModeInitialize, sspkitConformance } from './src/demo.js';
