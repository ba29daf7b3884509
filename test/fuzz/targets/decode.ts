/**
 * @sspkit/decode's explain() on raw bytes, base64 and header lines, with the recorded realm's keytab
 * so mutated AP-REQs reach the ticket decryption and the PAC; and parseKeytab on mutated keytabs.
 * explain() catches its own faults and says "decoder fault": that summary is a finding here.
 */
import { explain, parseKeytab, renderText } from '@sspkit/decode';
import type { Explanation, KeytabEntry } from '@sspkit/decode';
import { channelBindings, gssTokens, keytab, ntlmTokens } from '../corpus/seeds.js';
import { Finding } from '../target.js';
import type { FuzzTarget } from '../target.js';
import { bytesWithPrefixes } from './parsers.js';

function inspect(e: Explanation): void {
  for (const t of e.tokens)
    if (t.stopped?.reason.startsWith('decoder fault')) throw new Finding(`explain: ${t.stopped.reason}`);
  renderText(e);
}

export const decodeTarget: FuzzTarget = {
  name: 'decode',
  description: 'explain() (bytes, base64, header line, with keytab) and parseKeytab',
  corpus: () => [...gssTokens(), ...ntlmTokens(), ...channelBindings(), keytab()],
  arbitrary: bytesWithPrefixes([
    Uint8Array.from([0x60, 0x82]),
    Uint8Array.from([0x05, 0x02]),
    Uint8Array.from(Buffer.from('NTLMSSP\0', 'latin1')),
    Uint8Array.from(Buffer.from('Digest ', 'latin1')),
  ]),
  prepare: () => {
    const keys = parseKeytab(keytab());
    const entries: readonly KeytabEntry[] = keys.ok ? keys.entries : [];
    return Promise.resolve((c) => {
      const b64 = Buffer.from(c.data).toString('base64');
      const scheme = (c.data[0] ?? 0) & 1 ? 'Negotiate' : 'NTLM';
      inspect(explain(c.data));
      inspect(explain(c.data, { keytab: entries }));
      inspect(explain(b64));
      inspect(explain(`WWW-Authenticate: ${scheme} ${b64}`, { keytab: entries }));
      inspect(explain(Buffer.from(c.data).toString('latin1')));
      const kt = parseKeytab(c.data);
      if (typeof kt.ok !== 'boolean') throw new Finding('parseKeytab returned no result');
    });
  },
};
