/**
 * Child process of http-vs-apache.bench.ts: the node:http + Digest server, MD5, printing its port.
 * With DIGEST_WORKERS > 1 it forks that many cluster workers sharing one port; they share the nonce
 * key and opaque (stateless nonces), each keeps its own nonce-count store (connections stay on the
 * worker that accepted them, which is where their nonce counts arrive).
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { MemoryUserStore } from '../src/index.js';
import { startDigestHttpServer } from '../../../test/digest/http-server.js';

const workers = Number(process.env['DIGEST_WORKERS'] ?? '1');

async function serve(nonceKey: Buffer, opaque: string): Promise<number> {
  const users = new MemoryUserStore([{ username: 'bench', realm: 'bench', password: 'bench-password' }]);
  const server = await startDigestHttpServer({ kind: 'digest-server', realm: 'bench', algorithm: 'MD5', qop: ['auth'], users, nonceKey, opaque });
  // The log would grow without bound under load.
  setInterval(() => server.log.splice(0), 1000).unref();
  process.on('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
  return server.port;
}

if (workers <= 1) {
  process.stdout.write(`${await serve(randomBytes(32), randomBytes(12).toString('base64'))}\n`);
} else if (cluster.isPrimary) {
  const env = { DIGEST_NONCE_KEY: randomBytes(32).toString('hex'), DIGEST_OPAQUE: randomBytes(12).toString('base64') };
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
  const port = await serve(Buffer.from(process.env['DIGEST_NONCE_KEY'] ?? '', 'hex'), process.env['DIGEST_OPAQUE'] ?? '');
  process.send?.(port);
}
