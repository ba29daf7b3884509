import { readFileSync } from 'node:fs';
import { explain, parseKeytab, renderText } from '@sspkit/decode';
import type { Explanation, KeytabEntry } from '@sspkit/decode';

/** What `sspkit decode` was told. */
export interface DecodeOptions {
  json?: boolean;
  keytab?: string;
}

/** True when some part of the input could not be decoded to its end. */
export function decodeStopped(e: Explanation): boolean {
  const walk = (ts: Explanation['tokens']): boolean => ts.some((t) => t.stopped !== undefined || walk(t.inner ?? []));
  return walk(e.tokens);
}

/**
 * `sspkit decode [TOKEN | -] [--json] [--keytab FILE]`: explains a token or an authentication
 * header field by field. Exit 0 when everything decoded, 1 when decoding stopped somewhere (what came
 * before is still printed), 2 when the keytab cannot be read.
 */
export function decodeCommand(input: string | Uint8Array, options: DecodeOptions, write: (s: string) => void): number {
  let keytab: readonly KeytabEntry[] | undefined;
  if (options.keytab !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(options.keytab.replace(/^FILE:/, ''));
    } catch (e) {
      write(`sspkit decode: cannot read the keytab: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      return 2;
    }
    const kt = parseKeytab(bytes);
    if (!kt.ok) {
      write(`sspkit decode: ${options.keytab}: ${kt.reason}`);
      return 2;
    }
    keytab = kt.entries;
  }
  const e = explain(input, keytab !== undefined ? { keytab } : {});
  write(options.json ? JSON.stringify(e, null, 2) : renderText(e));
  return decodeStopped(e) ? 1 : 0;
}
