/** Bench helper: a throwaway lab, a dispatcher with Kerberos, and credentials acquired through it. */
import { createSspi } from '@sspkit/core';
import type { CredHandle, SspiDispatcher } from '@sspkit/core';
import { labDown, labUp } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule } from '../src/index.js';

export interface LabBench {
  readonly lab: Lab;
  readonly sspi: SspiDispatcher;
  acquire(use: number, authData: object): Promise<CredHandle>;
}

/** Runs `body` with a lab whose environment this process uses, and takes the lab down afterwards. */
export async function withLab(body: (b: LabBench) => Promise<void>): Promise<void> {
  const lab = await labUp({ detached: false });
  for (const [k, v] of Object.entries(lab.env)) process.env[k] = v;
  try {
    const sspi = await createSspi({ modules: [kerberosModule] });
    const acquire = async (use: number, authData: object): Promise<CredHandle> => {
      const r = await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: use, authData });
      if (r.credential === undefined) throw new Error(`AcquireCredentialsHandle: 0x${r.status.toString(16)}`);
      return r.credential;
    };
    await body({ lab, sspi, acquire });
  } finally {
    await labDown(lab);
  }
}
