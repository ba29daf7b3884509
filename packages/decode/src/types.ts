/** One decoded field: a label, its rendered value, and the fields inside it. */
export interface Field {
  readonly label: string;
  readonly value?: string;
  readonly children?: readonly Field[];
}

/** What kind of token a part of the input turned out to be. */
export type TokenKind =
  | 'spnego'
  | 'kerberos'
  | 'ntlm'
  | 'digest-challenge'
  | 'digest-credentials'
  | 'digest-authentication-info'
  | 'channel-bindings'
  | 'unknown';

/** Where decoding stopped and why: what came before it is still reported. */
export interface Stop {
  /** Byte offset into the token, where one is meaningful. */
  readonly at?: number;
  readonly reason: string;
}

/** One token explained. */
export interface TokenExplanation {
  readonly kind: TokenKind;
  /** One line: what the token is (e.g. `NTLM AUTHENTICATE_MESSAGE (type 3)`). */
  readonly summary: string;
  readonly fields: readonly Field[];
  /** Absent when the whole token decoded. */
  readonly stopped?: Stop;
  /** Tokens carried inside this one (a Kerberos AP-REQ inside SPNEGO, say). */
  readonly inner?: readonly TokenExplanation[];
}

/** How the input was read. */
export type InputForm = 'header' | 'base64' | 'hex' | 'raw' | 'text';

/** The whole answer of `explain()` (and of `sspkit decode --json`, schema `sspkit.decode/1`). */
export interface Explanation {
  readonly schema: 'sspkit.decode/1';
  readonly input: {
    readonly form: InputForm;
    /** The header's name when the input was a header line. */
    readonly header?: string;
    /** The authentication scheme named in front of the token, when there was one. */
    readonly scheme?: string;
    readonly bytes: number;
  };
  readonly tokens: readonly TokenExplanation[];
}

/** Builds fields compactly. */
export const field = (label: string, value?: string | number | boolean, children?: readonly Field[]): Field => ({
  label,
  ...(value !== undefined ? { value: String(value) } : {}),
  ...(children !== undefined && children.length > 0 ? { children } : {}),
});

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** `0x00000123` */
export const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** Names of the bits set in `value` according to `table`, unknown bits as hex. */
export function bitNames(value: number, table: Readonly<Record<string, number>>): string[] {
  const names: string[] = [];
  let rest = value >>> 0;
  for (const [name, bit] of Object.entries(table)) {
    if (bit !== 0 && (value & bit) >>> 0 === bit >>> 0) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) names.push(hex32(rest));
  return names;
}
