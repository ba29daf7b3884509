/**
 * The application's own test (node:test, run with `node --test`): the container swaps NTLM for the
 * Mock, the application code is untouched, the test scripts the Mock and reads its call log.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { resolveDispatcher, swapForMock } from '@sspkit/container';
import { SecStatus } from '@sspkit/core';
import { InMemoryAccountStore } from '@sspkit/ntlm';
import { login } from './client.js';
import { productionContainer } from './composition.js';
import { LoginService } from './login-service.js';

const carol = { user: 'carol', domain: 'EXAMPLE', password: 'carol-password' };

async function appWithMock(onPackageFault?: (f: { operation: string }) => void) {
  const accounts = new InMemoryAccountStore(); // the Mock stands in for NTLM: no real accounts needed
  const container = productionContainer({ accounts, ...(onPackageFault ? { onPackageFault } : {}) });
  const mock = swapForMock(container, 'NTLM');
  mock.users.add({ name: carol.user, domain: carol.domain, password: carol.password });
  const sspi = await resolveDispatcher(container);
  return { mock, sspi, service: new LoginService(sspi, 'NTLM') };
}

await test('the application authenticates a Mock user through its unchanged code', async () => {
  const { mock, sspi, service } = await appWithMock();
  assert.deepEqual(await login(sspi, service, 'conn-1', carol), { kind: 'authenticated', user: 'EXAMPLE\\carol' });
  const accepts = mock.script.calls('acceptLsaModeContext').map((c) => c.status);
  assert.deepEqual(accepts, [SecStatus.SEC_I_CONTINUE_NEEDED, SecStatus.SEC_E_OK]);
  assert.equal(mock.script.calls('getContextToken').length, 1);
});

await test('a scripted failure exercises the denial path', async () => {
  const { mock, sspi, service } = await appWithMock();
  mock.rule({ slot: 'acceptLsaModeContext', call: 2, status: SecStatus.SEC_E_TIME_SKEW });
  assert.deepEqual(await login(sspi, service, 'conn-1', carol), { kind: 'denied', reason: 'SEC_E_TIME_SKEW' });
  assert.equal(mock.liveContexts, 0);
});

await test('a package fault reaches the fault listener and denies the login', async () => {
  const faults: string[] = [];
  const { mock, sspi, service } = await appWithMock((f) => faults.push(f.operation));
  mock.rule({ slot: 'acceptLsaModeContext', throws: 'scripted fault' });
  assert.deepEqual(await login(sspi, service, 'conn-1', carol), { kind: 'denied', reason: 'SEC_E_INTERNAL_ERROR' });
  assert.deepEqual(faults, ['AcceptSecurityContext']);
});
