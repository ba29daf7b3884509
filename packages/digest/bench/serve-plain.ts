/** Child process of http-vs-apache.bench.ts: node:http answering 200 without authentication (the floor). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    // The load client expects a challenge first; hand it one it can answer, then accept anything.
    if (req.headers.authorization === undefined) {
      res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="bench", nonce="plain", qop="auth", algorithm=MD5' });
      res.end('authentication required\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('hello\n');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
