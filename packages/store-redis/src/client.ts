/**
 * The Redis connection the stores share, set up to fail fast: a verification must never wait on a
 * Redis that is down (the caller fails closed at once and the client retries), nor be queued and
 * replayed later (a queued check answered minutes afterwards is no check). ioredis reconnects by
 * itself; commands issued meanwhile reject immediately.
 */
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/**
 * The commands the stores (and an application's startup and shutdown) use. The public types name
 * this interface, never ioredis's: ioredis's declarations do not compile without `skipLibCheck`
 * (they import an untyped module), and an application's `tsc` must not depend on that setting.
 */
export interface RedisClient {
  /** Connects (the client is created unconnected); rejects if Redis cannot be reached now. */
  connect(): Promise<void>;
  /** Sends QUIT and closes once Redis answered. */
  quit(): Promise<unknown>;
  /** Closes at once, without waiting for replies. */
  disconnect(): void;
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, nx: 'NX'): Promise<'OK' | null>;
  pttl(key: string): Promise<number>;
  exists(...keys: string[]): Promise<number>;
}

/** How to reach Redis and how long to wait for it. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS); or host and port below. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  /** Longest wait for one command's reply, in milliseconds (default 250); then it rejects. */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a TCP connection (and its handshake), in milliseconds (default 1000). */
  readonly connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts, in milliseconds (default 1000); they never stop. */
  readonly maxReconnectDelayMs?: number;
  /**
   * Sees connection errors (ioredis emits them as events; unheard, it prints them). Default: none
   * reported, since every verification that meets the error reports it as its cause.
   */
  readonly onError?: (error: Error) => void;
  /** ACL user and password (or in `url`), database number, TLS options (or `rediss://` in `url`). */
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: ConnectionOptions;
}

const positive = (name: string, v: number | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number of milliseconds`);
  return v;
};

/**
 * An ioredis client with bounded timeouts, no offline queue, no resend of unanswered commands, and
 * endless reconnection with capped back-off. It is not connected yet: `await client.connect()`
 * before serving (commands before that reject, as while disconnected); `client.quit()` at shutdown.
 */
export function createRedisClient(options: RedisConnectionOptions = {}): RedisClient {
  const commandTimeout = positive('commandTimeoutMs', options.commandTimeoutMs, 250);
  const connectTimeout = positive('connectTimeoutMs', options.connectTimeoutMs, 1000);
  const maxDelay = positive('maxReconnectDelayMs', options.maxReconnectDelayMs, 1000);
  // replyMapping left out: ioredis types it two ways, and the stores read the default (RESP2) replies.
  const settings: Omit<RedisOptions, 'replyMapping'> = {
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.db !== undefined ? { db: options.db } : {}),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    lazyConnect: true,
    commandTimeout,
    connectTimeout,
    // Fail fast while disconnected: no queue, no retry of a command whose connection dropped (its
    // effect is unknown; the caller refuses, the client's next attempt is a new verification).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
  };
  const client = options.url !== undefined ? new Redis(options.url, settings) : new Redis(settings);
  client.on('error', (e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e))));
  return client;
}
