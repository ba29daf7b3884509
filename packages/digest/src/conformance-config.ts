/**
 * What the sspkit conformance suite should know about Digest (read from the module's
 * `sspkitConformance` export): credentials, and the statuses Digest documents where the suite's
 * defaults assume a client-first mechanism with message protection in every mode.
 */
import { AscReq, IscReq, SecStatus } from '@sspkit/core';

const CLIENT_AUTH = { user: 'alice', password: 'alice-password' };

/** SASL mode (no HTTP flag): the default, with every security layer. */
export const sspkitConformance = {
  packageName: 'Digest',
  client: { authData: CLIENT_AUTH, targetName: 'imap/conformance.test', expectedUser: 'alice' },
  documented: {
    // Windows: "Empty for the first call" — AcceptSecurityContext without a token issues the challenge.
    'handshake.missing-input': [SecStatus.SEC_I_CONTINUE_NEEDED],
  },
} as const;

/**
 * HTTP mode (ISC_REQ_HTTP / ASC_REQ_HTTP): the server-first handshake and CompleteAuthToken. The suite
 * skips the per-message checks by itself: HTTP Digest grants no message protection.
 */
export const digestHttpConformance = {
  packageName: 'Digest',
  client: {
    authData: CLIENT_AUTH,
    targetName: '/conformance',
    expectedUser: 'alice',
    contextReq: IscReq.HTTP | IscReq.CONNECTION,
  },
  server: { contextReq: AscReq.HTTP | AscReq.CONNECTION },
  documented: {
    'handshake.missing-input': [SecStatus.SEC_I_CONTINUE_NEEDED],
  },
} as const;
