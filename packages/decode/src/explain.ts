/** `explain()`: what a token is and what it says, field by field, without ever throwing. */
import { splitChallenges } from '@sspkit/core';
import { applicationData, explainChannelBindings, looksLikeChannelBindings } from './channel-bindings.js';
import { explainDigest } from './digest.js';
import { OID, explainSpnego, krb5Inner, mechName, unframe } from './gss.js';
import type { HeaderName } from './input.js';
import { fromBase64, fromHex, headerLine, isText } from './input.js';
import type { KeytabEntry } from './kerberos/keytab.js';
import { explainKerberos, kerberosApplicationTag } from './kerberos/messages.js';
import { explainNtlm, isNtlm } from './ntlm.js';
import type { Explanation, InputForm, TokenExplanation } from './types.js';
import { field, hex } from './types.js';

export interface ExplainOptions {
  /** Service keys: with them an AP-REQ's ticket and authenticator are decrypted and explained. */
  readonly keytab?: readonly KeytabEntry[];
}

/** Explains a token, a header line, or raw bytes. Never throws. */
export function explain(input: string | Uint8Array, opts: ExplainOptions = {}): Explanation {
  try {
    return explainUnsafe(input, opts);
  } catch (e) {
    // A decoder bug must not become the caller's exception; the fuzz tests look for this summary.
    const reason = `decoder fault: ${e instanceof Error ? e.message : String(e)}`;
    const bytes = typeof input === 'string' ? input.length : input.length;
    return {
      schema: 'sspkit.decode/1',
      input: { form: typeof input === 'string' ? 'text' : 'raw', bytes },
      tokens: [{ kind: 'unknown', summary: 'unexplained input', fields: [], stopped: { reason } }],
    };
  }
}

function explainUnsafe(input: string | Uint8Array, opts: ExplainOptions): Explanation {
  if (typeof input !== 'string') {
    if (!isText(input))
      return {
        schema: 'sspkit.decode/1',
        input: { form: 'raw', bytes: input.length },
        tokens: [explainBytes(input, 0, opts)],
      };
    input = Buffer.from(input).toString('latin1');
  }
  const s = input.trim();
  const header = headerLine(s);
  if (header !== undefined) {
    const tokens = headerTokens(header.name, header.value, opts);
    const scheme = tokens.length === 1 ? splitChallenges(header.value)[0]?.scheme : undefined;
    return {
      schema: 'sspkit.decode/1',
      input: { form: 'header', header: header.display, ...(scheme ? { scheme } : {}), bytes: s.length },
      tokens,
    };
  }
  const parts = splitChallenges(s);
  const first = parts[0];
  if (parts.length >= 1 && first !== undefined && first.rest !== '' && isScheme(first.scheme)) {
    const tokens = parts.map((p) => schemeToken(p.scheme, p.rest, undefined, opts));
    return {
      schema: 'sspkit.decode/1',
      input: { form: 'text', ...(parts.length === 1 ? { scheme: first.scheme } : {}), bytes: s.length },
      tokens,
    };
  }
  return bare(s, opts);
}

const SCHEMES = ['negotiate', 'ntlm', 'kerberos', 'digest', 'basic', 'bearer'];
const isScheme = (s: string): boolean => SCHEMES.includes(s.toLowerCase());

function headerTokens(name: HeaderName, value: string, opts: ExplainOptions): TokenExplanation[] {
  if (name === 'authentication-info' || name === 'proxy-authentication-info') return [explainDigest(value, name)];
  if (name === 'authorization' || name === 'proxy-authorization') {
    const sp = /^(\S+)\s*(.*)$/s.exec(value);
    return [schemeToken(sp?.[1] ?? '', sp?.[2] ?? '', name, opts)];
  }
  const parts = splitChallenges(value);
  return parts.length === 0
    ? [unknown('an empty challenge list')]
    : parts.map((p) => schemeToken(p.scheme, p.rest, name, opts));
}

function schemeToken(
  scheme: string,
  rest: string,
  header: HeaderName | undefined,
  opts: ExplainOptions,
): TokenExplanation {
  const lower = scheme.toLowerCase();
  if (lower === 'digest') return explainDigest(rest, header);
  if (lower === 'negotiate' || lower === 'ntlm' || lower === 'kerberos') {
    if (rest === '')
      return { kind: 'unknown', summary: `${scheme} challenge without a token (the first leg's offer)`, fields: [] };
    const bytes = fromBase64(rest);
    if (bytes === undefined) return unknown(`the ${scheme} token is not base64`);
    return explainBytes(bytes, 0, opts);
  }
  if (lower === 'basic') {
    const b = fromBase64(rest);
    const user = b !== undefined ? Buffer.from(b).toString('utf8').split(':')[0] : undefined;
    // The password part is never shown.
    return {
      kind: 'unknown',
      summary: 'Basic credentials (RFC 7617)',
      fields: user !== undefined ? [field('user-id', user), field('password', '(not shown)')] : [],
    };
  }
  return {
    kind: 'unknown',
    summary: `${scheme || '(no scheme)'} ${rest === '' ? '' : '(not a scheme this tool explains)'}`.trim(),
    fields: [],
  };
}

function bare(s: string, opts: ExplainOptions): Explanation {
  let form: InputForm = 'text';
  let bytes: Uint8Array | undefined = fromHex(s);
  if (bytes !== undefined) form = 'hex';
  else {
    bytes = fromBase64(s);
    if (bytes !== undefined) form = 'base64';
  }
  if (bytes !== undefined)
    return { schema: 'sspkit.decode/1', input: { form, bytes: bytes.length }, tokens: [explainBytes(bytes, 0, opts)] };
  if (/^tls-(server-end-point|unique|exporter):/.test(s)) {
    const data = new Uint8Array(Buffer.from(s, 'latin1'));
    return {
      schema: 'sspkit.decode/1',
      input: { form: 'text', bytes: s.length },
      tokens: [
        { kind: 'channel-bindings', summary: 'channel-binding application data', fields: applicationData(data) },
      ],
    };
  }
  if (/(^|,)\s*(realm|nonce|response|rspauth|nextnonce|username)\s*=/i.test(s)) {
    return {
      schema: 'sspkit.decode/1',
      input: { form: 'text', bytes: s.length },
      tokens: [explainDigest(s, undefined)],
    };
  }
  return {
    schema: 'sspkit.decode/1',
    input: { form: 'text', bytes: s.length },
    tokens: [unknown('neither a header, base64, hex, nor Digest parameters')],
  };
}

const unknown = (reason: string): TokenExplanation => ({
  kind: 'unknown',
  summary: 'unrecognised input',
  fields: [],
  stopped: { reason },
});

/** Explains binary token bytes found at offset `at` of the whole input. */
function explainBytes(b: Uint8Array, at: number, opts: ExplainOptions): TokenExplanation {
  if (b.length === 0) return unknown('an empty token');
  if (isNtlm(b)) return explainNtlm(b);
  const first = b[0] ?? 0;
  if (first === 0x60) return framed(b, at, opts);
  if (first === 0xa0 || first === 0xa1) return explainSpnego(b, at, (m, t, a) => mechToken(m, t, a, opts), false);
  if (kerberosApplicationTag(b) !== undefined) return explainKerberos(b, at, opts);
  if (looksLikeChannelBindings(b)) return explainChannelBindings(b);
  return {
    kind: 'unknown',
    summary: `${b.length} bytes of an unknown kind`,
    fields: [field('first bytes', hex(b.subarray(0, 32)))],
    stopped: { at, reason: 'not SPNEGO, Kerberos, NTLM or SEC_CHANNEL_BINDINGS' },
  };
}

function framed(b: Uint8Array, at: number, opts: ExplainOptions): TokenExplanation {
  const u = unframe(b, at);
  if (!u.ok) return { kind: 'unknown', summary: 'GSS-API token (RFC 2743 §3.1)', fields: [], stopped: u.stop };
  const f = u.framed;
  if (f.mech === OID.SPNEGO) return explainSpnego(f.inner, f.innerAt, (m, t, a) => mechToken(m, t, a, opts), true);
  return mechToken(f.mech, b, at, opts);
}

/** A mechanism token: Kerberos (framed per RFC 4121 §4.1, or a bare KRB message) or NTLMSSP. */
function mechToken(mech: string | undefined, t: Uint8Array, at: number, opts: ExplainOptions): TokenExplanation {
  if (isNtlm(t)) return explainNtlm(t);
  if ((t[0] ?? 0) === 0x60) {
    const u = unframe(t, at);
    if (!u.ok) return { kind: 'unknown', summary: 'GSS-API token', fields: [], stopped: u.stop };
    if (u.framed.mech === OID.KRB5 || u.framed.mech === OID.KRB5_MS || u.framed.mech === OID.KRB5_U2U) {
      const k = krb5Inner(u.framed.inner);
      if (k === undefined)
        return {
          kind: 'kerberos',
          summary: 'Kerberos GSS token',
          fields: [],
          stopped: { at: u.framed.innerAt, reason: 'no TOK_ID' },
        };
      const e = explainKerberos(k.body, u.framed.innerAt + 2, opts);
      return {
        ...e,
        summary: `${e.summary}, GSS-framed (${mechName(u.framed.mech)}, TOK_ID ${k.tokId.toString(16).padStart(4, '0')} ${k.tokName})`,
      };
    }
    if (u.framed.mech === OID.SPNEGO)
      return explainSpnego(u.framed.inner, u.framed.innerAt, (m, x, a) => mechToken(m, x, a, opts), true);
    return {
      kind: 'unknown',
      summary: `GSS token for ${mechName(u.framed.mech)}`,
      fields: [field('inner', `${u.framed.inner.length} bytes`)],
    };
  }
  if (kerberosApplicationTag(t) !== undefined) return explainKerberos(t, at, opts);
  return {
    kind: 'unknown',
    summary: `mechanism token${mech !== undefined ? ` for ${mechName(mech)}` : ''}`,
    fields: [field('bytes', `${t.length}: ${hex(t.subarray(0, 32))}`)],
  };
}
