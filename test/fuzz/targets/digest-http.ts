/** Digest HTTP parsers (RFC 7616 §3.3–3.5): challenge, credentials, Authentication-Info, challenge lists. */
import { parseAuthParams, parseChallengeList, selectDigestChallenge } from '@sspkit/digest';
import { parseAuthenticationInfo } from '../../../packages/digest/src/messages/authentication-info.js';
import { parseChallenge } from '../../../packages/digest/src/messages/challenge.js';
import { parseCredentials } from '../../../packages/digest/src/messages/credentials.js';
import { digestHttp } from '../corpus/seeds.js';
import { latin1 } from '../target.js';
import type { FuzzTarget } from '../target.js';
import { authParamBytes } from './digest-strings.js';
import { expectResult } from './parsers.js';

export const digestHttpTarget: FuzzTarget = {
  name: 'digest-http',
  description: 'parseChallenge/Credentials/AuthenticationInfo/ChallengeList/AuthParams',
  corpus: digestHttp,
  arbitrary: authParamBytes(['Digest', 'digest', 'Basic', 'Negotiate']),
  prepare: () =>
    Promise.resolve((c) => {
      const s = latin1(c.data);
      expectResult(parseChallenge(s), 'parseChallenge');
      expectResult(parseCredentials(s), 'parseCredentials');
      expectResult(parseAuthenticationInfo(s), 'parseAuthenticationInfo');
      expectResult(parseAuthParams(s), 'parseAuthParams');
      expectResult(parseChallengeList(s), 'parseChallengeList');
      expectResult(selectDigestChallenge(s), 'selectDigestChallenge');
      // Header values arrive as UTF-8 too (RFC 7616 §3.4.4 username*): the same bytes decoded that way.
      const u = Buffer.from(c.data).toString('utf8');
      expectResult(parseCredentials(u), 'parseCredentials(utf8)');
    }),
};
