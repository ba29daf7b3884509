/**
 * What the sspkit conformance suite should know about Digest (read from the module's
 * `sspkitConformance` export): credentials, and the statuses Digest documents where the suite's
 * defaults assume a client-first mechanism with message protection in every mode.
 */
import { AscReq, IscReq, SecStatus } from '@sspkit/core';

const CLIENT_AUTH = { user: 'alice', password: 'alice-password' };
const PER_MESSAGE_HTTP =
  'HTTP Digest has no message protection: MakeSignature answers the next request and VerifySignature/EncryptMessage are unsupported (reference §7)';

/** SASL mode (no HTTP flag): the default, with every security layer. */
export const sspkitConformance = {
  packageName: 'Digest',
  client: { authData: CLIENT_AUTH, targetName: 'imap/conformance.test', expectedUser: 'alice' },
  documented: {
    // Windows: "Empty for the first call" — AcceptSecurityContext without a token issues the challenge.
    'handshake.missing-input': [SecStatus.SEC_I_CONTINUE_NEEDED],
  },
} as const;

/** HTTP mode (ISC_REQ_HTTP / ASC_REQ_HTTP): the handshake and CompleteAuthToken, no per-message checks. */
export const digestHttpConformance = {
  packageName: 'Digest',
  client: { authData: CLIENT_AUTH, targetName: '/conformance', expectedUser: 'alice', contextReq: IscReq.HTTP | IscReq.CONNECTION },
  server: { contextReq: AscReq.HTTP | AscReq.CONNECTION },
  documented: {
    'handshake.missing-input': [SecStatus.SEC_I_CONTINUE_NEEDED],
  },
  skip: Object.fromEntries(
    [
      // Its CompleteAuthToken part passes (see test/dispatcher.spec.ts); its signing part cannot apply.
      'handshake.complete-needed',
      'per-message.sign-roundtrip',
      'per-message.seal-roundtrip',
      'per-message.sign-bit-flips',
      'per-message.seal-bit-flips',
      'per-message.replay',
      'per-message.reorder',
      'per-message.seal-hides-plaintext',
      'per-message.sizes',
      'per-message.token-buffer',
      'per-message.readonly-buffers',
      'token.complete-not-needed',
      'lifetime.stale-package-handles',
      'lifetime.context-outlives-credential',
      'lifetime.delete-isolated',
      'concurrency.interleaved',
    ].map((id) => [id, PER_MESSAGE_HTTP]),
  ),
} as const;
