/**
 * Child process of http-vs-apache.bench.ts: the node:http + Digest server, MD5, printing its port.
 * With DIGEST_WORKERS > 1 it forks that many cluster workers sharing one port. Each worker keeps its
 * own nonce key and nonce-count store: the package refuses a shared key without a shared store (a
 * response accepted by one worker would replay on another), and the load client answers one
 * challenge per connection, which stays on the worker that issued the nonce.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { MemoryUserStore } from '../src/index.js';
import { startDigestHttpServer } from '../../../test/digest/http-server.js';

const workers = Number(process.env['DIGEST_WORKERS'] ?? '1');

async function serve(opaque: string): Promise<number> {
  const users = new MemoryUserStore([{ username: 'bench', realm: 'bench', password: 'bench-password' }]);
  const server = await startDigestHttpServer({
    kind: 'digest-server',
    realm: 'bench',
    algorithm: 'MD5',
    qop: ['auth'],
    users,
    opaque,
  });
  // The log would grow without bound under load.
  setInterval(() => server.log.splice(0), 1000).unref();
  process.on('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
  return server.port;
}

if (workers <= 1) {
  process.stdout.write(`${await serve(randomBytes(12).toString('base64'))}\n`);
} else if (cluster.isPrimary) {
  const env = { DIGEST_OPAQUE: randomBytes(12).toString('base64') };
  let announced = false;
  for (let i = 0; i < workers; i++) {
    cluster.fork(env).on('message', (port: number) => {
      if (!announced) process.stdout.write(`${port}\n`);
      announced = true;
    });
  }
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const port = await serve(process.env['DIGEST_OPAQUE'] ?? '');
  process.send?.(port);
}
