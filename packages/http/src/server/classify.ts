/**
 * How a failed package call maps to HTTP: a token the package calls malformed is the client's bad
 * request (400); a status saying the server side is broken is a fault (500, no detail); every other
 * failure is an authentication failure (401/407 with fresh challenges), never a 500.
 */
import { SecStatus } from '@sspkit/core';

const MALFORMED: ReadonlySet<number> = new Set([SecStatus.SEC_E_INVALID_TOKEN]);

// Statuses that say the server (its package, our own calls) is at fault, not the client. The
// credential statuses are not among them: from AcceptSecurityContext, SEC_E_NO_CREDENTIALS means the
// client brought a ticket for a service whose key this server does not hold — the client's failure.
const FAULTS: ReadonlySet<number> = new Set([
  SecStatus.SEC_E_INTERNAL_ERROR,
  SecStatus.SEC_E_INSUFFICIENT_MEMORY,
  SecStatus.SEC_E_INVALID_HANDLE,
  SecStatus.SEC_E_UNSUPPORTED_FUNCTION,
  SecStatus.SEC_E_SECPKG_NOT_FOUND,
  SecStatus.SEC_E_INVALID_PARAMETER,
  SecStatus.SEC_E_BUFFER_TOO_SMALL,
  SecStatus.SEC_E_CANNOT_INSTALL,
  SecStatus.SEC_E_SHUTDOWN_IN_PROGRESS,
]);

export type FailureKind = 'bad-request' | 'denied' | 'fault';

export function classifyStatus(status: number): FailureKind {
  if (MALFORMED.has(status)) return 'bad-request';
  if (FAULTS.has(status)) return 'fault';
  return 'denied';
}
