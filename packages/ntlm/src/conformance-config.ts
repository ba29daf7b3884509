/**
 * What the sspkit conformance suite should know about NTLM (read from the module's
 * `sspkitConformance` export, so `sspkit conformance packages/ntlm` runs the suite as it is meant):
 * an account for the acceptor, an identity for the initiator, and the statuses NTLM documents.
 */
import { SecStatus } from '@sspkit/core';
import { InMemoryAccountStore } from './accounts.js';

const PASSWORD = 'Conformance-Passw0rd!';

/** A fresh configuration each run (its own account store). */
export function sspkitConformance(): object {
  const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', PASSWORD);
  return {
    packageName: 'NTLM',
    // The suite pairs a client and a server in one process, which is the reflection pattern: this
    // client credential (and only it) opts out of reflection protection.
    // The client's auth data also names the accounts, for the suite's SECPKG_CRED_BOTH credential.
    client: {
      authData: { user: 'alice', domain: 'EXAMPLE', password: PASSWORD, allowReflection: true, accounts },
      targetName: 'HTTP/srv1.example',
      expectedUser: 'alice',
    },
    server: { authData: { accounts } },
    // With Extended Session Security the sequence number is inside the HMAC (MS-NLMP §3.4.4.2): a
    // replayed or reordered message fails the MAC, SEC_E_MESSAGE_ALTERED.
    documented: {
      'per-message.replay': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
      'per-message.reorder': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
    },
  };
}
