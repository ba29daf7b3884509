/**
 * The application's composition root. Production binds the real NTLM package; its acceptor checks
 * each client's proof against the account store (MS-NLMP 3.2.5.1.2: the server needs the user's NT
 * hash), so the store is what production must supply.
 */
import { createSspkitContainer } from '@sspkit/container';
import type { PackageFaultListener } from '@sspkit/core';
import { createNtlmModule } from '@sspkit/ntlm';
import type { AccountStore } from '@sspkit/ntlm';

export type AppContainer = ReturnType<typeof createSspkitContainer>;

export interface AppConfig {
  /** Who may log on: `readUserFile(text)`, an `InMemoryAccountStore`, or your own `lookup()`. */
  readonly accounts: AccountStore;
  /** Sees a package that threw or answered garbage (its caller gets SEC_E_INTERNAL_ERROR). */
  readonly onPackageFault?: PackageFaultListener;
}

const logFault: PackageFaultListener = ({ package: name, operation, error }) => {
  console.error(`security package ${name} failed in ${operation}:`, error);
};

export function productionContainer(config: AppConfig): AppContainer {
  const ntlm = createNtlmModule({ accounts: config.accounts, domain: 'EXAMPLE', computer: 'APP1' });
  return createSspkitContainer({
    packages: [{ name: 'NTLM', module: ntlm, source: '@sspkit/ntlm' }],
    dispatcher: { onPackageFault: config.onPackageFault ?? logFault },
  });
}
