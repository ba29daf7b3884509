/**
 * The module `sspkit conformance` is pointed at: a SCRAM instance with one test user, and the
 * credentials the suite should use (fixtures, not secrets).
 */
import { InMemoryScramUsers, createScramModule, makeVerifier } from './src/index.js';

const users = new InMemoryScramUsers().add('alice', makeVerifier('correct horse battery staple', Buffer.from('sspkit-example-salt')));
const module = createScramModule({ users });

export const spLsaModeInitialize = module.spLsaModeInitialize;
export const spUserModeInitialize = module.spUserModeInitialize;
export const sspkitConformance = { client: { authData: { user: 'alice', password: 'correct horse battery staple' } } };
