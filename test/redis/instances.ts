/**
 * Starts instances of test/redis/digest-instance.ts as separate processes (node with the tsx loader) and keeps
 * each one's log (stderr); stopped by PID.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './server.js';

export interface DigestInstance {
  readonly name: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Everything the instance wrote to stderr: one JSON line per authentication failure. */
  log(): string;
  /** SIGTERM (or SIGKILL with `crash`, as a crashed process dies), resolved once it has exited. */
  stop(crash?: boolean): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./digest-instance.ts', import.meta.url));

export async function startInstance(name: string, env: Record<string, string>): Promise<DigestInstance> {
  // tsx as a loader in this one process (its CLI would run the script in a child of its own, which a
  // SIGKILL of the CLI would leave running).
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), SCRIPT],
    {
      env: { ...process.env, ...env, INSTANCE: name },
    },
  );
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`instance ${name} exited (${code}): ${log}`)));
  });
  return {
    name,
    port,
    pid: child.pid,
    log: () => log,
    stop: (crash = false) => stopChild(child, crash ? 0 : 3000),
  };
}
