/**
 * The seed corpus: tokens recorded from a throwaway MIT realm and sspkit's NTLM package (the decode
 * package's fixture, reused rather than copied), the [MS-PAC] §3 and Windows DC logon-information
 * buffers (pac.json: the same bytes as provider-native's PAC vectors; the DC ones are test vectors the
 * gokrb5 project publishes under Apache-2.0), and the Digest strings of RFC 7616 §3.9, RFC 2617 §3.5 and RFC 2831 §4.
 */
import { readFileSync } from 'node:fs';
import { fromBase64, fromHex, fromLatin1 } from '../target.js';

const json = <T>(url: URL): T => JSON.parse(readFileSync(url, 'utf8')) as T;

interface Tokens {
  Kerberos: string[];
  Negotiate: string[];
  NTLM: string[];
  keytab: string;
  channelBindings: string;
}

const tokens = (): Tokens =>
  json<Tokens>(new URL('../../../packages/decode/test/fixtures/tokens.json', import.meta.url));
const digest = (): { http: string[]; sasl: string[] } => json(new URL('./digest.json', import.meta.url));

export const ntlmTokens = (): Uint8Array[] => tokens().NTLM.map(fromBase64);
export const gssTokens = (): Uint8Array[] => [...tokens().Kerberos, ...tokens().Negotiate].map(fromBase64);
export const channelBindings = (): Uint8Array[] => [fromBase64(tokens().channelBindings)];
export const keytab = (): Uint8Array => fromBase64(tokens().keytab);
export const digestHttp = (): Uint8Array[] => digest().http.map(fromLatin1);
export const digestSasl = (): Uint8Array[] => digest().sasl.map(fromLatin1);
export const logonInfo = (): Uint8Array[] =>
  json<{ logonInfo: string[] }>(new URL('./pac.json', import.meta.url)).logonInfo.map(fromHex);
