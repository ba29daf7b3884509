/**
 * A throw-away redis-server (Debian package `redis-server`) on a free loopback port, in a temp
 * directory, with no persistence unless asked: started by the tests, stopped by its PID. It can be
 * stopped and started again on the same port (the multi-instance tests take Redis away and back).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = '/usr/bin/redis-server';

/** Whether redis-server is installed (apt: redis-server). */
export function redisAvailable(): boolean {
  return existsSync(REDIS_SERVER) && spawnSync(REDIS_SERVER, ['--version']).status === 0;
}

/** A free TCP port on 127.0.0.1 (bound and released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port; rejects if `child` exits first. */
function waitForPort(port: number, child: ChildProcess, deadlineMs: number, what: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening`));
        return;
      }
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error(`${what} did not start listening on ${port}`));
        else setTimeout(attempt, 30);
      });
    };
    attempt();
  });
}

/** Waits for a child process to exit, killing it harder after `graceMs` (0: SIGKILL at once). */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  });
}

/** A running (or stopped) redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** PID of the current process (undefined while stopped). */
  readonly pid: number | undefined;
  /** What redis-server printed (its log goes to stdout). */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL); the port and directory stay for {@link start}. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty unless persistence was asked for). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface RedisServerOptions {
  /** Keep an append-only file in the directory, so data survives a restart (default: none). */
  readonly persist?: boolean;
  /** `maxmemory` in bytes (default: unlimited), with the `noeviction` policy the stores require. */
  readonly maxmemory?: number;
}

/** Starts redis-server on a free loopback port in a new temp directory. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sspkit-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.persist === true ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
    ...(options.maxmemory !== undefined ? ['--maxmemory', String(options.maxmemory)] : []),
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ];
  let child: ChildProcess | undefined;
  let output = '';
  const start = async (): Promise<void> => {
    const c = spawn(REDIS_SERVER, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = c;
    await waitForPort(port, c, 10_000, 'redis-server');
  };
  const stop = async (): Promise<void> => {
    if (child !== undefined) await stopChild(child);
    child = undefined;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    log: () => output,
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
