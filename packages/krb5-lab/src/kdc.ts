/** Starting and stopping a lab's KDC, and telling it apart from any other process. */
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, statSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { waitForTcp } from './port.js';
import { euid } from './private-fs.js';
import { saveState, toolEnv } from './state.js';
import type { Lab } from './state.js';
import { findProgram, LabToolError, locate, umaskWrapped } from './tools.js';

/** The KDC's environment names its lab: how {@link isLabKdc} recognises it. */
export const LAB_ID_VARIABLE = 'SSPKIT_LAB_ID';

/** Starts (or restarts) the lab's KDC on its port and waits until it accepts connections. */
export async function labStartKdc(lab: Lab, detached = true): Promise<void> {
  if (lab.pid !== 0 && isLabKdc(lab.pid, lab.id)) return;
  const kdc = [findProgram('krb5kdc'), '-n', '-r', lab.realm];
  // A KDC tied to this process must not outlive it, not even a SIGKILL or a crash: util-linux
  // setpriv asks the kernel to send it SIGTERM when its parent dies (PR_SET_PDEATHSIG, kept
  // across the exec). Node forks from the main thread, whose end is the process's end.
  const setpriv = detached ? null : locate('setpriv');
  const command = setpriv === null ? kdc : [setpriv, '--pdeathsig', 'TERM', '--', ...kdc];
  const [file, args] = umaskWrapped(command);
  const child = spawn(file, args, { env: { ...toolEnv(lab), [LAB_ID_VARIABLE]: lab.id }, stdio: 'ignore', detached });
  if (child.pid === undefined) throw new LabToolError('krb5kdc failed to start');
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  child.unref();
  lab.pid = child.pid;
  await waitForTcp(lab.port, 5000, () => !exited);
  saveState(lab);
}

/** Stops the lab's KDC by its PID (only if that PID is provably this lab's krb5kdc). */
export async function labStopKdc(lab: Lab): Promise<void> {
  await stopKdc(lab.pid, lab.id);
  lab.pid = 0;
  if (existsSync(lab.dir)) saveState(lab);
}

/** Signals `pid` only if it is the KDC of lab `id`; waits for it to end. */
export async function stopKdc(pid: number, id: string): Promise<void> {
  if (pid === 0 || !isLabKdc(pid, id)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (isAlive(pid) && isLabKdc(pid, id)) process.kill(pid, 'SIGKILL');
}

/** Whether a process with this PID exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is lab `id`'s KDC: a live process of this user whose executable is krb5kdc and
 * whose environment carries `SSPKIT_LAB_ID=id` (only a lab's own start puts it there). A stale or
 * planted PID — any other program, another user's process, another lab's KDC — is never signalled.
 */
export function isLabKdc(pid: number, id: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 1 || id === '') return false;
  try {
    if (statSync(`/proc/${pid}`).uid !== euid()) return false;
    if (basename(readlinkSync(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '') !== 'krb5kdc') return false;
    if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${LAB_ID_VARIABLE}=${id}`)) return false;
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
