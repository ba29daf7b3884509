// The public surface of @sspkit/negotiate: named exports only.
export * from './messages/index.js';
