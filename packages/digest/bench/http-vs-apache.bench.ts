/**
 * Authenticated requests per second: a node:http server protected by this package (through the SSPI
 * dispatcher, one process) against Apache httpd mod_auth_digest (event MPM, default threads), both MD5
 * qop=auth on loopback, driven by the same load client in this process.
 *
 * Method: CONNECTIONS keep-alive connections; each does one unauthenticated GET (401 + challenge),
 * answers it, then sends GETs back to back with nc = 2, 3, … (a new Authorization per request, computed
 * by the package's pure HttpClientContext). Count 200 responses over DURATION_MS after a warm-up.
 * Both servers stay up; ROUNDS rounds alternate which one is measured first, and the figures are the
 * medians, the ratio the median of the per-round ratios (so load from elsewhere hits both sides).
 * Needs apache2; prints a skip line otherwise.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HttpClientContext } from '../src/http/client-context.js';
import { apacheAvailable, startApache } from '../../../test/digest/apache.js';

const CONNECTIONS = 8;
const DURATION_MS = 2000;
const WARMUP_MS = 500;
const ROUNDS = 7;

function get(
  agent: Agent,
  port: number,
  path: string,
  authorization?: string,
): Promise<{ status: number; challenge?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        headers: authorization !== undefined ? { Authorization: authorization } : {},
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          const ch = res.headers['www-authenticate'];
          resolve({ status: res.statusCode ?? 0, ...(typeof ch === 'string' ? { challenge: ch } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function connection(
  port: number,
  path: string,
  until: () => boolean,
  counter: { ok: number; failed: number; counting: boolean },
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const client = new HttpClientContext({ username: 'bench', password: 'bench-password' });
  const first = await get(agent, port, path);
  if (first.challenge === undefined) throw new Error(`no challenge (status ${first.status})`);
  const init = client.initialize(first.challenge, path, { method: 'GET' });
  if (!init.ok || init.value.token === undefined) throw new Error('could not answer the challenge');
  let authorization = init.value.token;
  while (!until()) {
    const r = await get(agent, port, path, authorization);
    if (counter.counting) {
      if (r.status === 200) counter.ok++;
      else counter.failed++;
    }
    const next = client.nextRequest('GET', path, {});
    if (!next.ok) throw new Error('nextRequest failed');
    authorization = next.value;
  }
  agent.destroy();
}

async function measure(port: number, path: string): Promise<{ rps: number; failed: number }> {
  const counter = { ok: 0, failed: 0, counting: false };
  const start = Date.now();
  const end = start + WARMUP_MS + DURATION_MS;
  setTimeout(() => {
    counter.counting = true;
  }, WARMUP_MS);
  await Promise.all(
    Array.from({ length: CONNECTIONS }, () => connection(port, path, () => Date.now() >= end, counter)),
  );
  return { rps: Math.round(counter.ok / (DURATION_MS / 1000)), failed: counter.failed };
}

if (!apacheAvailable()) {
  console.log('http-vs-apache: apache2 with mod_auth_digest not installed (apt-get install apache2); skipped');
} else {
  const tsx = fileURLToPath(import.meta.resolve('tsx/cli'));
  const serve = async (script: string, workers = 1): Promise<{ rps: number; failed: number }> => {
    const child = spawn(process.execPath, [tsx, fileURLToPath(new URL(script, import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DIGEST_WORKERS: String(workers) },
    });
    const port = await new Promise<number>((resolve) =>
      createInterface({ input: child.stdout }).once('line', (l) => resolve(Number(l))),
    );
    const result = await measure(port, '/bench');
    if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    return result;
  };
  const start = async (script: string, workers = 1): Promise<{ port: number; stop: () => void }> => {
    const child = spawn(process.execPath, [tsx, fileURLToPath(new URL(script, import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DIGEST_WORKERS: String(workers) },
    });
    const port = await new Promise<number>((resolve) =>
      createInterface({ input: child.stdout }).once('line', (l) => resolve(Number(l))),
    );
    return { port, stop: () => void (child.pid !== undefined && process.kill(child.pid, 'SIGTERM')) };
  };
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const nodeServer = await start('./serve-node.ts');
  const apache = await startApache('bench', [{ username: 'bench', password: 'bench-password' }]);
  const nodeRps: number[] = [];
  const apacheRps: number[] = [];
  const ratios: number[] = [];
  let failed = 0;
  try {
    // One discarded measurement each: the fresh node process has to warm its JIT up first.
    await measure(nodeServer.port, '/bench');
    await measure(apache.port, '/index.html');
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ['node', 'apache'] : ['apache', 'node'];
      const got: Record<string, number> = {};
      for (const which of order) {
        const m =
          which === 'node' ? await measure(nodeServer.port, '/bench') : await measure(apache.port, '/index.html');
        got[which] = m.rps;
        failed += m.failed;
      }
      nodeRps.push(got['node']!);
      apacheRps.push(got['apache']!);
      ratios.push(got['node']! / Math.max(1, got['apache']!));
    }
  } finally {
    nodeServer.stop();
    await apache.stop();
  }
  // Informational, one measurement each: two cluster workers, and the same server without authentication.
  const node2 = await serve('./serve-node.ts', 2);
  const plain = await serve('./serve-plain.ts');

  console.log(
    `node:http + Digest (1 process): ${median(nodeRps)} req/s median of ${ROUNDS} rounds [${nodeRps.join(', ')}]`,
  );
  console.log(
    `Apache mod_auth_digest (event):  ${median(apacheRps)} req/s median of ${ROUNDS} rounds [${apacheRps.join(', ')}]`,
  );
  console.log(
    `ratio node/Apache: ${median(ratios).toFixed(2)}x (median of per-round ratios [${ratios.map((x) => x.toFixed(2)).join(', ')}]; target >= 1.0x), ${failed} failed requests`,
  );
  console.log(`node:http + Digest (2 workers): ${node2.rps} req/s (one measurement)`);
  console.log(`node:http, no authentication:   ${plain.rps} req/s (the same client; the floor of this machine)`);
  console.log(
    `(${CONNECTIONS} connections, ${DURATION_MS / 1000}s per measurement after ${WARMUP_MS / 1000}s warm-up, loopback, 1 challenge per connection)`,
  );
}
