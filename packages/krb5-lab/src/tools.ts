/** Locating and running the MIT krb5 administration programs. */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The programs a lab needs, with the Debian package that ships each. */
export const LAB_PROGRAMS = {
  krb5kdc: 'krb5-kdc',
  kdb5_util: 'krb5-kdc',
  'kadmin.local': 'krb5-admin-server',
  kinit: 'krb5-user',
  klist: 'krb5-user',
} as const;

export type LabProgram = keyof typeof LAB_PROGRAMS;

/** Failure to find or run a krb5 program; `detail` holds its stderr (never a password). */
export class LabToolError extends Error {
  override readonly name = 'LabToolError';
  constructor(
    message: string,
    readonly detail = '',
  ) {
    super(detail === '' ? message : `${message}: ${detail.trim()}`);
  }
}

// The sbin directories are searched as well: a non-login root shell often lacks them in PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];

/** Absolute path of a krb5 program, or a LabToolError naming the package to install. */
export function findProgram(program: LabProgram): string {
  const found = locate(program);
  if (found === null)
    throw new LabToolError(`${program} not found (install the Debian package ${LAB_PROGRAMS[program]})`);
  return found;
}

/** Absolute path of an executable found in PATH or the sbin/bin directories, or null. */
export function locate(program: string): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/** Which lab programs are missing; empty when a lab can be created. */
export function missingPrograms(): LabProgram[] {
  return (Object.keys(LAB_PROGRAMS) as LabProgram[]).filter((p) => {
    try {
      findProgram(p);
      return false;
    } catch {
      return true;
    }
  });
}

/** Output of a finished program. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `[file, args]` running `command` under umask 077 (through /bin/sh, which sets it and execs the
 * program: the PID stays the program's). MIT's programs create logs, replay caches and databases
 * with the process umask; under a permissive one (000) they would be readable by everyone.
 */
export function umaskWrapped(command: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', ...command]];
}

/**
 * Runs a program to completion with exactly `env` (no inherited KRB5_* variables can leak in),
 * feeding `stdin` when given. Arguments are logged nowhere.
 */
export function runProgram(
  program: LabProgram,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  stdin?: string,
): Promise<RunResult> {
  const file = findProgram(program);
  return new Promise((resolve, reject) => {
    const [sh, shArgs] = umaskWrapped([file, ...args]);
    const child = spawn(sh, shArgs, {
      env: { ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', (err) => reject(new LabToolError(`${program} failed to start`, err.message)));
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new LabToolError(`${program} exited with ${String(code)}`, stderr));
    });
    // A program that exits before reading its input makes the write fail with EPIPE: its exit
    // status already says what happened, so the stream error is not reported twice.
    child.stdin?.on('error', () => undefined);
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
