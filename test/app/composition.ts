/** The application's composition root: production binds the real NTLM package. */
import { createSspkitContainer } from '@sspkit/container';
import * as ntlm from '@sspkit/ntlm';

export function productionContainer(): ReturnType<typeof createSspkitContainer> {
  return createSspkitContainer({ packages: [{ name: 'NTLM', module: ntlm, source: '@sspkit/ntlm' }] });
}
