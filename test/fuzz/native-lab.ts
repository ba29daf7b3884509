/**
 * The throwaway lab KDC the native fuzz targets share: started by the first of them in a process
 * and stopped by `stopFuzzLab()` (or, should the process die first, at exit). One lab per process:
 * the krb5 library reads the lab's environment, which must not change while native calls run.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { labCopyCcache, labDown, labUp } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';

export interface FuzzLab {
  readonly lab: Lab;
  /** A TGT-only copy of the user's ccache (the initiator's credential). */
  readonly ccache: string;
}

let started: Promise<FuzzLab> | undefined;

export function fuzzLab(): Promise<FuzzLab> {
  started ??= (async () => {
    const lab = await labUp({ detached: false });
    for (const [key, value] of Object.entries(lab.env)) process.env[key] = value;
    process.once('exit', () => {
      try {
        if (lab.pid !== 0) process.kill(lab.pid, 'SIGTERM');
      } catch {
        // already stopped
      }
      rmSync(lab.dir, { recursive: true, force: true });
    });
    return { lab, ccache: labCopyCcache(lab, join(lab.dir, 'fuzz.ccache')) };
  })();
  return started;
}

/** Stops the KDC (by its PID) and removes the realm, if a target started one. */
export async function stopFuzzLab(): Promise<void> {
  const l = started;
  started = undefined;
  if (l !== undefined) await labDown((await l).lab);
}
