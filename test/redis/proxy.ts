/**
 * A round-robin TCP proxy on loopback, the load balancer of the multi-instance tests: each new
 * connection goes to the next backend; a backend that refuses the connection (a killed instance) is
 * skipped for the next one, as a balancer's health check would. Bytes are piped untouched.
 */
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface RoundRobinProxy {
  readonly port: number;
  /** Backend ports, in rotation order; replaceable while running (a restarted instance). */
  backends: number[];
  close(): Promise<void>;
}

export async function startProxy(backends: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const sockets = new Set<Socket>();
  const state = { backends };
  const dial = (client: Socket, tries: number): void => {
    const list = state.backends;
    if (tries >= list.length) {
      client.destroy();
      return;
    }
    const port = list[next++ % list.length]!;
    const upstream = connect({ host: '127.0.0.1', port });
    let connected = false;
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('error', () => {
      // Refused before connecting: try the next backend; after connecting, the client sees a close.
      if (!connected && !client.destroyed) dial(client, tries + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    dial(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    get backends() {
      return state.backends;
    },
    set backends(list: number[]) {
      state.backends = list;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
