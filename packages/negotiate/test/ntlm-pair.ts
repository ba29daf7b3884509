/**
 * The one place Negotiate's tests build an NTLM package that will serve an in-process client and
 * server at once. When NTLM gains reflection protection (a client refusing a challenge its own
 * process issued), the explicit opt-out goes here and nowhere else.
 */
import { createNtlmModule, InMemoryAccountStore } from '@sspkit/ntlm';
import type { SecurityPackageModule } from '@sspkit/core';

/** The demo account the NTLM acceptor knows. */
export const NTLM_USER = { user: 'alice', domain: 'SSPKIT', password: 'alice-password' } as const;

/** An NTLM module whose acceptor knows {@link NTLM_USER}, fit to be client and server in one process. */
export function ntlmForInProcessPair(): SecurityPackageModule {
  const accounts = new InMemoryAccountStore().addPassword(NTLM_USER.domain, NTLM_USER.user, NTLM_USER.password);
  return createNtlmModule({ accounts, allowReflection: true });
}
