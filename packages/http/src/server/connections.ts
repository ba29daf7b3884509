/**
 * Connection-bound authentication state (RFC 4559 §4 and MS-NTHT: NTLM and Negotiate authenticate a
 * connection, not a request): at most one security context per socket, disposed when the socket
 * closes, when it sits idle past the timeout, or when the table is full and it is the least recently
 * used. Bounded per socket (one context) and in total (`maxConnections`).
 */
import type { Socket } from 'node:net';
import type { CtxtHandle, SspiDispatcher } from '@sspkit/core';
import type { AuthenticatedIdentity } from './types.js';

export interface ConnectionState {
  readonly socket: Socket;
  /** The scheme whose context this is (lower case). */
  readonly scheme: string;
  context: CtxtHandle | undefined;
  complete: boolean;
  identity: AuthenticatedIdentity | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class ConnectionTable {
  readonly #sspi: SspiDispatcher;
  readonly #idleMs: number;
  readonly #max: number;
  // Map order is recency order: touch() re-inserts.
  readonly #states = new Map<Socket, ConnectionState>();
  readonly #watched = new WeakSet<Socket>();
  // Requests of one connection are handled one at a time (HTTP/1.1 pipelining may deliver the next
  // before the previous answer), so a handshake never sees its legs out of order.
  readonly #queues = new WeakMap<Socket, Promise<unknown>>();

  constructor(sspi: SspiDispatcher, idleMs: number, max: number) {
    this.#sspi = sspi;
    this.#idleMs = idleMs;
    this.#max = Math.max(1, max);
  }

  get size(): number {
    return this.#states.size;
  }

  get(socket: Socket): ConnectionState | undefined {
    return this.#states.get(socket);
  }

  /** Runs `fn` after every earlier call for the same socket has settled. */
  serialize<T>(socket: Socket, fn: () => Promise<T>): Promise<T> {
    const prev = this.#queues.get(socket) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.#queues.set(
      socket,
      next.catch(() => undefined),
    );
    return next;
  }

  /** A fresh state for the socket, replacing (and disposing) any earlier one. */
  open(socket: Socket, scheme: string): ConnectionState {
    this.dispose(socket);
    const state: ConnectionState = {
      socket,
      scheme,
      context: undefined,
      complete: false,
      identity: undefined,
      timer: undefined,
    };
    this.#states.set(socket, state);
    if (!this.#watched.has(socket)) {
      this.#watched.add(socket);
      socket.once('close', () => this.dispose(socket));
    }
    while (this.#states.size > this.#max) {
      const oldest = this.#states.keys().next().value;
      if (oldest === undefined || oldest === socket) break;
      this.dispose(oldest);
    }
    this.touch(state);
    return state;
  }

  /** Marks the state used now: most recent, idle timer restarted. */
  touch(state: ConnectionState): void {
    if (this.#states.get(state.socket) !== state) return;
    this.#states.delete(state.socket);
    this.#states.set(state.socket, state);
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = setTimeout(() => this.dispose(state.socket, state), this.#idleMs);
    state.timer.unref();
  }

  /** Deletes the socket's context (only `expected`, when given) and forgets it. */
  dispose(socket: Socket, expected?: ConnectionState): void {
    const state = this.#states.get(socket);
    if (state === undefined || (expected !== undefined && state !== expected)) return;
    this.#states.delete(socket);
    if (state.timer !== undefined) clearTimeout(state.timer);
    if (state.context?.isValid === true) this.#sspi.deleteSecurityContext(state.context);
    state.context = undefined;
    state.identity = undefined;
  }

  /** Disposes every context (server shutdown). */
  clear(): void {
    for (const socket of [...this.#states.keys()]) this.dispose(socket);
  }
}
