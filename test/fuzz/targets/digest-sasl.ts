/** SASL DIGEST-MD5 parsers (RFC 2831 §2.1.1–2.1.3): digest-challenge, digest-response, response-auth. */
import {
  parseSaslChallenge,
  parseSaslResponse,
  parseSaslResponseAuth,
} from '../../../packages/digest/src/sasl/messages.js';
import { digestSasl } from '../corpus/seeds.js';
import { latin1 } from '../target.js';
import type { FuzzTarget } from '../target.js';
import { authParamBytes } from './digest-strings.js';
import { expectResult } from './parsers.js';

export const digestSaslTarget: FuzzTarget = {
  name: 'digest-sasl',
  description: 'parseSaslChallenge/Response/ResponseAuth',
  corpus: digestSasl,
  arbitrary: authParamBytes(['']),
  prepare: () =>
    Promise.resolve((c) => {
      const s = latin1(c.data);
      expectResult(parseSaslChallenge(s), 'parseSaslChallenge');
      expectResult(parseSaslResponse(s), 'parseSaslResponse');
      expectResult(parseSaslResponseAuth(s), 'parseSaslResponseAuth');
    }),
};
