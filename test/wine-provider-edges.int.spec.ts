/**
 * @sspkit/provider-windows under Wine: buffer marshalling edge cases and status mapping (Kerberos
 * against the lab KDC), and handle lifetimes over 10,000 provider calls with nothing left open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '@sspkit/krb5-lab';
import { startLab, stopLab } from './native/lab.js';
import { startWine, wineAvailable } from './wine/harness.js';
import type { WineSession } from './wine/harness.js';
import { spn, wineKerberosEnv } from './wine/kerberos.js';
import { providerEnv, providerScript } from './wine-provider-support.js';

const available = wineAvailable();
if (!available.ok) console.warn(`wine-provider-edges: ${available.reason}; skipping`);

describe.skipIf(!available.ok)('the Windows provider under Wine: edge cases and lifetimes', () => {
  let wine: WineSession | undefined;
  let lab: Lab | undefined;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    wine = await startWine();
    lab = await startLab();
    env = { ...providerEnv(wine), ...wineKerberosEnv(lab, wine), SSPKIT_TARGET: spn(lab) };
  }, 300_000);
  afterAll(async () => {
    wine?.stop();
    await stopLab(lab);
  });

  it('marshals edge cases and passes statuses through', async () => {
    const r = await wine!.runWindowsNode(providerScript('edges.ts'), { env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.result).not.toHaveProperty('error');
    expect(r.result).toEqual({
      // Wine 8 defect: an output token that does not fit is SEC_E_INCOMPLETE_MESSAGE (Windows:
      // SEC_E_BUFFER_TOO_SMALL or SEC_E_INSUFFICIENT_MEMORY), and no context is created.
      outputTooSmall: { status: 'SEC_E_INCOMPLETE_MESSAGE', context: false },
      // Wine 8 defect: a truncated or corrupted AP-REQ is SEC_E_INTERNAL_ERROR (Windows: SEC_E_INVALID_TOKEN).
      truncated: { status: 'SEC_E_INTERNAL_ERROR', inputTypes: [2] },
      corrupted: { status: 'SEC_E_INTERNAL_ERROR', inputTypes: [2] },
      // Wine 8 defect: an empty input token is taken as a first leg to continue.
      empty: { status: 'SEC_I_CONTINUE_NEEDED', inputTypes: [2] },
      bindingsSame: { client: 'SEC_I_CONTINUE_NEEDED', server: 'SEC_E_OK' },
      // Wine 8 defect: channel bindings are ignored (Windows: SEC_E_BAD_BINDINGS).
      bindingsDiffer: { client: 'SEC_I_CONTINUE_NEEDED', server: 'SEC_E_OK' },
      // The provider's own check (Wine would sign past the 4 bytes and answer SEC_E_OK).
      signatureTooSmall: {
        status: 'SEC_E_BUFFER_TOO_SMALL',
        cause: 'MakeSignature: the TOKEN buffer has 4 bytes, 37 needed',
        length: 4,
      },
      readonlyToken: { status: 'SEC_E_INVALID_TOKEN', untouched: true },
      noToken: 'SEC_E_INVALID_TOKEN',
      decryptTruncatedToken: 'SEC_E_MESSAGE_ALTERED',
      // Wine 8 defect: Kerberos DecryptMessage takes no SECBUFFER_STREAM (Windows does).
      stream: { status: 'SEC_E_INVALID_TOKEN', data: '', insideStream: false },
      bogusHandle: 'SEC_E_INVALID_HANDLE',
      // Wine 8 stubs: Impersonate/RevertSecurityContext on a Kerberos server context.
      impersonate: {
        handshake: ['SEC_I_CONTINUE_NEEDED', 'SEC_E_OK'],
        impersonate: 'SEC_E_UNSUPPORTED_FUNCTION',
        revert: 'SEC_E_UNSUPPORTED_FUNCTION',
      },
      liveHandles: 0,
      dispatcherHandles: 0,
    });
  }, 180_000);

  it('leaves no handle, memory block or kernel handle open over 10,000 calls', async () => {
    const r = await wine!.runWindowsNode(providerScript('lifetime.ts'), { env, timeoutMs: 400_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.result).not.toHaveProperty('error');
    const result = r.result as {
      calls: number;
      failures: number;
      samples: { calls: number; live: number; blocks: number; kernel: number; rss: number }[];
      dispatcherHandles: number;
    };
    expect(result.calls).toBeGreaterThanOrEqual(10_000);
    expect(result.failures).toBe(0);
    expect(result.samples.length).toBeGreaterThan(10);
    for (const s of result.samples) {
      expect(s.live, `provider handles after ${s.calls} calls`).toBe(0);
      expect(s.blocks, `native blocks after ${s.calls} calls`).toBe(0);
      // Wine 8's GetProcessHandleCount answers 0; on Windows this is the kernel handle count.
      expect(s.kernel, `kernel handles after ${s.calls} calls`).toBe(result.samples[0]!.kernel);
    }
    expect(result.dispatcherHandles).toBe(0);
  }, 450_000);
});
