/**
 * A real browser against the @sspkit/http server: Debian's Chromium, headless, driven by
 * puppeteer-core (no browser download), doing Negotiate (Kerberos from the lab ccache), its own NTLM
 * and Digest, over http and https (self-signed certificate). One `sspkit serve` per scheme, since a
 * browser picks the strongest scheme offered (Negotiate, then NTLM, then Digest).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSspi, startServe } from '@sspkit/cli';
import type { ServeHandle } from '@sspkit/cli';
import type { Lab } from '@sspkit/krb5-lab';
import { startLab, stopLab } from './native/lab.js';

// The binary itself: /usr/bin/chromium is Debian's wrapper script, which adds its own flags.
const CHROMIUM = '/usr/lib/chromium/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn('http-chromium: chromium missing (apt-get install chromium); skipping');

let lab: Lab | undefined;
let browser: Browser | undefined;
let home = '';
const servers = new Map<string, ServeHandle>();

beforeAll(async () => {
  if (!available) return;
  lab = await startLab();
  home = mkdtempSync(join(tmpdir(), 'sspkit-http-chromium-'));
  const loaded = await loadSspi();
  for (const scheme of ['negotiate', 'ntlm', 'digest']) {
    for (const tls of [false, true])
      servers.set(`${scheme}:${String(tls)}`, await startServe(loaded, { schemes: scheme, tls }));
  }
  servers.set('ntlm:bound', await startServe(loaded, { schemes: 'ntlm', tls: true, channelBindings: 'required' }));
  servers.set(
    'negotiate:bound',
    await startServe(loaded, { schemes: 'negotiate', tls: true, channelBindings: 'required' }),
  );
  servers.set(
    'negotiate:lenient',
    await startServe(loaded, { schemes: 'negotiate', tls: true, channelBindings: 'when-supported' }),
  );
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: join(home, 'profile'),
    // --no-sandbox: Chromium refuses to run as root with its sandbox; the allowlist lets it answer
    // Negotiate for these hosts; the certificate is the throwaway self-signed one.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--auth-server-allowlist=localhost,127.0.0.1',
      '--ignore-certificate-errors',
    ],
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      ...lab.env,
    },
  });
  // The first Negotiate challenge of a browser process fails (its GSSAPI library loads lazily): one
  // throwaway navigation.
  const page = await browser.newPage();
  await page.goto(url('negotiate', false, '/warm-up')).catch(() => undefined);
  await page.close();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers.values()) await s.close();
  await stopLab(lab);
  if (home !== '') rmSync(home, { recursive: true, force: true });
});

function url(scheme: string, tls: boolean | 'bound' | 'lenient', path: string): string {
  const s = servers.get(`${scheme}:${String(tls)}`)!;
  return `${tls !== false ? 'https' : 'http'}://localhost:${s.info.port}${path}`;
}

async function visit(
  target: string,
  credentials?: { username: string; password: string },
): Promise<{ status: number; body: { user?: string; scheme?: string; package?: string } }> {
  // A context of its own: its own connections, so no keep-alive connection authenticated by an
  // earlier visit carries this one (NTLM authenticates connections).
  const context = await browser!.createBrowserContext();
  const page = await context.newPage();
  try {
    if (credentials !== undefined) await page.authenticate(credentials);
    const response = await page.goto(target);
    const text = (await response?.text()) ?? '';
    return {
      status: response?.status() ?? 0,
      body: text.startsWith('{') ? (JSON.parse(text) as { user?: string }) : {},
    };
  } finally {
    await context.close();
  }
}

describe.skipIf(!available)('Chromium (headless) → @sspkit/http server', () => {
  for (const tls of [false, true]) {
    const over = tls ? 'https' : 'http';
    it(`Negotiate (Kerberos from the lab) over ${over}`, async () => {
      const r = await visit(url('negotiate', tls, '/krb'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ user: lab!.userPrincipal, scheme: 'Negotiate' });
    });

    it(`Chromium's own NTLM over ${over}`, async () => {
      const r = await visit(url('ntlm', tls, '/ntlm'), { username: 'SSPKIT\\alice', password: 'alice-password' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ user: 'alice', package: 'NTLM' });
      const wrong = await visit(url('ntlm', tls, '/ntlm-wrong'), { username: 'SSPKIT\\bob', password: 'not-bobs' });
      expect(wrong.status).toBe(401);
    });

    it(`Digest over ${over}`, async () => {
      const r = await visit(url('digest', tls, '/digest'), { username: 'alice', password: 'alice-password' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ user: 'alice', scheme: 'Digest' });
    });
  }

  it('NTLM over https, channel bindings required: Chromium sends tls-server-end-point, equal to ours', async () => {
    const r = await visit(url('ntlm', 'bound', '/bound'), { username: 'SSPKIT\\alice', password: 'alice-password' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: 'alice', package: 'NTLM' });
  });

  // Chromium on Linux binds no channel to its Kerberos (GSSAPI) authenticator: `required` refuses it,
  // `when-supported` lets it in (ASC_REQ_ALLOW_MISSING_BINDINGS) — both policies met by a real client.
  it('Negotiate over https: Chromium sends no Kerberos bindings — refused if required, let in if supported', async () => {
    const refused = await visit(url('negotiate', 'bound', '/bound-krb'));
    expect(refused.status).toBe(401);
    expect(servers.get('negotiate:bound')!.failures.at(-1)).toMatchObject({ statusName: 'SEC_E_BAD_BINDINGS' });
    const allowed = await visit(url('negotiate', 'lenient', '/lenient-krb'));
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ user: lab!.userPrincipal, scheme: 'Negotiate' });
  });
});
