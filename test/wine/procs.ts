/**
 * The processes of a daemon started in a session of its own (spawn with `detached: true` calls
 * setsid()), read from /proc (proc(5)): every descendant that does not call setsid() itself shares
 * the session, zombies included, so the session id finds what a daemon forked even after its parent
 * died. Linux only, as are the peers that use it.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly session: number;
  /** proc(5) state: R, S, D, Z (zombie: exited, not yet reaped by its parent) … */
  readonly state: string;
  /** Its command line ('' for a zombie). */
  readonly cmd: string;
}

function read(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses, so split after the last ')'.
    const [state = '?', ppid = '0', , session = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(ppid), session: Number(session), state, cmd };
  } catch {
    return undefined; // exited between the directory listing and the read
  }
}

/** Every process now, as far as /proc shows it. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = read(Number(name));
    if (p !== undefined) out.push(p);
  }
  return out;
}

/** The processes of session `sid` (its leader included) and any whose command line names `marker`. */
export function sessionProcesses(sid: number, marker: string): Proc[] {
  return processes().filter((p) => p.session === sid || (marker !== '' && p.cmd.includes(marker)));
}

/** Sends `signal` to each PID; one already gone is skipped. */
export function signalEach(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `done` every 50 ms for at most `ms`; whether it came true. */
export async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; ; await sleep(50)) {
    if (done()) return true;
    if (Date.now() > end) return false;
  }
}
