/** Production: the real NTLM package authenticates against the account store (`node dist/main.js`). */
import { resolveDispatcher } from '@sspkit/container';
import { InMemoryAccountStore } from '@sspkit/ntlm';
import { login } from './client.js';
import { productionContainer } from './composition.js';
import { LoginService } from './login-service.js';

// In a deployment: readUserFile(text of a DOMAIN:user:password file), or an AccountStore whose
// lookup(user, domain) reads your user database (it may return a promise).
const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'alice-password');
const sspi = await resolveDispatcher(productionContainer({ accounts }));
const service = new LoginService(sspi, 'NTLM');

const alice = await login(sspi, service, 'conn-1', { user: 'alice', domain: 'EXAMPLE', password: 'alice-password' });
const intruder = await login(sspi, service, 'conn-2', { user: 'alice', domain: 'EXAMPLE', password: 'guess' });
console.log(JSON.stringify({ alice, intruder }));
