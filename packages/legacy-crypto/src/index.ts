// @sspkit/legacy-crypto: named exports only.
export { Rc4, rc4Once } from './rc4.js';
export { desEncrypt, expandDesKey } from './des.js';
