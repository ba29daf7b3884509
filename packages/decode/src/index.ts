// The public surface of @sspkit/decode: named exports only.
export { explain } from './explain.js';
export type { ExplainOptions } from './explain.js';
export { renderText } from './render.js';
export { parseKeytab } from './kerberos/keytab.js';
export type { KeytabEntry, KeytabResult } from './kerberos/keytab.js';
export type { Explanation, Field, InputForm, Stop, TokenExplanation, TokenKind } from './types.js';
