/**
 * The client side of a login, driven in-process against the LoginService (in a deployment the
 * client is another program and the tokens travel over the transport, e.g. HTTP
 * `Authorization: NTLM …` headers). `clientSspi` is the client's own dispatcher.
 */
import { clientContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import type { LoginService, LoginStep } from './login-service.js';

export interface Identity {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
}

export async function login(
  clientSspi: SspiDispatcher,
  service: LoginService,
  connectionId: string,
  who: Identity,
): Promise<LoginStep> {
  const client = await clientContext(clientSspi, {
    package: 'NTLM',
    authData: { ...who },
    targetName: 'HTTP/app.example',
  });
  try {
    let token = await client.step();
    for (;;) {
      if (token === undefined) return { kind: 'denied', reason: 'the client produced no token' };
      const step = await service.step(connectionId, token);
      if (step.kind !== 'challenge') return step;
      token = await client.step(step.token);
    }
  } finally {
    client.dispose();
  }
}
