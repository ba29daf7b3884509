/**
 * A default instance with one test user, so the package itself is a complete package module: its
 * directory (`sspkit conformance examples/scram-sha-256`) loads like any package's, and
 * `conformance-entry.ts` is the same instance. The credentials are fixtures, not secrets.
 */
import { InMemoryScramUsers, createScramModule } from './package.js';
import { makeVerifier } from './scram.js';

const users = new InMemoryScramUsers().add(
  'alice',
  makeVerifier('correct horse battery staple', Buffer.from('sspkit-example-salt')),
);
const module = createScramModule({ users });

/** SpLsaModeInitialize of the default instance. */
export const spLsaModeInitialize = module.spLsaModeInitialize;
/** SpUserModeInitialize of the default instance. */
export const spUserModeInitialize = module.spUserModeInitialize;
/** The credentials a standalone conformance run uses (the test user above). */
export const sspkitConformance = { client: { authData: { user: 'alice', password: 'correct horse battery staple' } } };
