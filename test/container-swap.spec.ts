/**
 * Worked example: an application's own test swaps the real NTLM package for the Mock through the
 * container, scripts it, and asserts on its call log — the application code is untouched.
 */
import { describe, expect, it } from 'vitest';
import { SecStatus, clientContext } from '@sspkit/core';
import { resolveDispatcher, swapForMock } from '@sspkit/container';
import { productionContainer } from './app/composition.js';
import { LoginService } from './app/login-service.js';

async function login(sspi: Awaited<ReturnType<typeof resolveDispatcher>>, service: LoginService, user: string, password: string) {
  const client = await clientContext(sspi, { package: 'NTLM', authData: { user, domain: 'MOCK', password }, targetName: 'HTTP/app' });
  try {
    let token = await client.step();
    for (;;) {
      const step = await service.step('conn-1', token!);
      if (step.kind !== 'challenge') return step;
      token = await client.step(step.token);
    }
  } finally {
    client.dispose();
  }
}

describe('swapping NTLM for the Mock in an application test', () => {
  it('the application authenticates a Mock user through its unchanged code', async () => {
    const container = productionContainer();
    const mock = swapForMock(container, 'NTLM');
    const sspi = await resolveDispatcher(container);
    const service = new LoginService(sspi, 'NTLM');
    expect(await login(sspi, service, 'alice', 'alice-password')).toEqual({ kind: 'authenticated', user: 'MOCK\\alice' });
    expect(mock.script.calls('acceptLsaModeContext').map((c) => c.status)).toEqual([SecStatus.SEC_I_CONTINUE_NEEDED, SecStatus.SEC_E_OK]);
    expect(mock.script.calls('getContextToken')).toHaveLength(1);
  });

  it('a scripted failure exercises the application\'s denial path', async () => {
    const container = productionContainer();
    const mock = swapForMock(container, 'NTLM');
    mock.rule({ slot: 'acceptLsaModeContext', call: 2, status: SecStatus.SEC_E_TIME_SKEW });
    const sspi = await resolveDispatcher(container);
    const service = new LoginService(sspi, 'NTLM');
    expect(await login(sspi, service, 'alice', 'alice-password')).toEqual({ kind: 'denied', reason: 'SEC_E_TIME_SKEW' });
    expect(mock.liveContexts).toBe(0);
  });

  it('without the swap the same container runs the real NTLM package', async () => {
    const sspi = await resolveDispatcher(productionContainer());
    expect(sspi.querySecurityPackageInfo('NTLM').packageInfo?.name).toBe('NTLM');
    expect(sspi.querySecurityPackageInfo('NTLM').packageInfo?.comment).not.toMatch(/sspkit deterministic test package/);
  });
});
