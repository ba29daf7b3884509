/** Finding a loopback port that is free for both TCP and UDP. */
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

/** Binds 127.0.0.1:0 over TCP, reads the port the kernel chose, then checks UDP on the same port. */
export async function findFreeLoopbackPort(attempts = 20): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const port = await freeTcpPort();
    if (await udpPortFree(port)) return port;
  }
  throw new Error('no loopback port free for both TCP and UDP');
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: '127.0.0.1', port, exclusive: true }, () => {
      socket.close(() => resolve(true));
    });
  });
}

/** Resolves once a TCP connection to 127.0.0.1:port succeeds, or rejects after `timeoutMs`. */
export async function waitForTcp(port: number, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (!isAlive()) throw new Error('krb5kdc exited before it accepted connections');
    if (Date.now() > deadline) throw new Error(`krb5kdc did not listen on 127.0.0.1:${port} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
