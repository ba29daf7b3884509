/** Test helper: one lab per test file, exported into this worker's environment before any GSS call. */
import { rmSync } from 'node:fs';
import { labDown, labUp } from '@sspkit/krb5-lab';
import type { Lab, LabOptions } from '@sspkit/krb5-lab';

/**
 * Starts a lab and points this process's krb5 library at it. The environment is set once, before
 * the first native call: changing it while async native calls run is not thread-safe.
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const lab = await labUp({ detached: false, ...options });
  for (const [key, value] of Object.entries(lab.env)) process.env[key] = value;
  // If the worker dies before afterAll runs, still stop the KDC and remove the realm.
  process.once('exit', () => {
    try {
      if (lab.pid !== 0) process.kill(lab.pid, 'SIGTERM');
    } catch {
      // already stopped
    }
    rmSync(lab.dir, { recursive: true, force: true });
  });
  return lab;
}

/** Stops the lab and removes its directory. */
export async function stopLab(lab: Lab | undefined): Promise<void> {
  if (lab !== undefined) await labDown(lab);
}

/** The service principal in GSS host-based form (`HTTP@localhost`). */
export function hostbased(lab: Lab): string {
  const [service, host] = lab.servicePrincipal.split('@')[0]?.split('/') ?? [];
  return `${service ?? ''}@${host ?? ''}`;
}
