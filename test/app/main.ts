/** Production: the real NTLM package authenticates against the account store (`node dist/main.js`). */
import { resolveDispatcher } from '@sspkit/container';
import { createSspi } from '@sspkit/core';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { login } from './client.js';
import { productionContainer } from './composition.js';
import { LoginService } from './login-service.js';

// In a deployment: readUserFile(text of a DOMAIN:user:password file), or an AccountStore whose
// lookup(user, domain) reads your user database (it may return a promise).
const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'alice-password');
const sspi = await resolveDispatcher(productionContainer({ accounts }));
const service = new LoginService(sspi, 'NTLM');

// The clients, here in this process: they answer challenges this process's acceptor issued, which
// NTLM refuses by default (reflection, MS08-068), so only this client-side instance opts out.
// The production container's NTLM keeps the protection.
const clients = await createSspi({ modules: [createNtlmModule({ allowReflection: true })] });
const alice = await login(clients, service, 'conn-1', { user: 'alice', domain: 'EXAMPLE', password: 'alice-password' });
const intruder = await login(clients, service, 'conn-2', { user: 'alice', domain: 'EXAMPLE', password: 'guess' });
console.log(JSON.stringify({ alice, intruder }));
