/**
 * One connection to an origin (an undici `Client` with a single socket and no pipelining), with what
 * a connection-bound scheme needs to know about it: which socket it is on (a reconnect starts over),
 * and on TLS the server certificate for the channel bindings.
 */
import type { TLSSocket } from 'node:tls';
import { Client, Dispatcher, buildConnector } from 'undici';
import type { AuthFetchOptions } from './types.js';

/**
 * Sends requests to a forward proxy in absolute form (RFC 7230 §5.3.2): the proxy's connection, the
 * target's URL as the request-target.
 */
class AbsoluteForm extends Dispatcher {
  constructor(readonly client: Client) {
    super();
  }
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const target = new URL(opts.path, String(opts.origin ?? '')).href;
    return this.client.dispatch({ ...opts, path: target }, handler);
  }
}

export class Lane {
  readonly client: Client;
  /** What fetch is given: the client itself, or the absolute-form wrapper when talking to a proxy. */
  readonly dispatcher: Dispatcher;
  /** Incremented on every new socket: a connection-bound authentication belongs to one value. */
  generation = 0;
  /** DER of the server certificate of the current socket (TLS only). */
  peerCertificate: Uint8Array | undefined;
  busy = false;

  constructor(
    readonly id: number,
    origin: URL,
    options: AuthFetchOptions,
    viaProxy = false,
  ) {
    const tls = options.tls ?? {};
    const connector = buildConnector({
      ...(tls.ca !== undefined ? { ca: [tls.ca].flat() } : {}),
      ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
      ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
    });
    this.client = new Client(origin.origin, {
      pipelining: 1,
      connect: (opts, callback) => {
        connector(opts, (err, socket) => {
          if (err === null && socket !== null) {
            this.generation++;
            const cert = origin.protocol === 'https:' ? (socket as TLSSocket).getPeerX509Certificate?.() : undefined;
            this.peerCertificate = cert !== undefined ? new Uint8Array(cert.raw) : undefined;
          }
          // undici's callback types pair (null, socket) and (error, null).
          if (err !== null) callback(err, null);
          else callback(null, socket);
        });
      },
    });
    this.dispatcher = viaProxy ? new AbsoluteForm(this.client) : this.client;
  }
}

/** The lanes of one origin: at most `max` connections, handed out one request at a time. */
export class Origin {
  readonly lanes: Lane[] = [];
  readonly #waiting: Array<(lane: Lane) => void> = [];

  constructor(
    readonly url: URL,
    readonly options: AuthFetchOptions,
    readonly max: number,
    readonly viaProxy = false,
  ) {}

  /** A free lane, preferring `preferred` (the one a handshake is pinned to). */
  async acquire(preferred?: Lane): Promise<Lane> {
    if (preferred !== undefined && !preferred.busy) return this.#take(preferred);
    const free = this.lanes.find((l) => !l.busy);
    if (free !== undefined) return this.#take(free);
    if (this.lanes.length < this.max) return this.#take(this.#add());
    return new Promise((resolve) => this.#waiting.push((l) => resolve(this.#take(l))));
  }

  release(lane: Lane): void {
    let free = lane;
    if (this.options.reuseConnections === false) {
      // A new connection for the next request: the old one (and what it authenticated) is closed.
      void lane.client.close().catch(() => undefined);
      free = new Lane(lane.id, this.url, this.options, this.viaProxy);
      this.lanes[this.lanes.indexOf(lane)] = free;
    }
    free.busy = false;
    const next = this.#waiting.shift();
    if (next !== undefined) next(free);
  }

  #take(lane: Lane): Lane {
    lane.busy = true;
    return lane;
  }

  #add(): Lane {
    const lane = new Lane(this.lanes.length, this.url, this.options, this.viaProxy);
    this.lanes.push(lane);
    return lane;
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.client.close()));
  }
}
