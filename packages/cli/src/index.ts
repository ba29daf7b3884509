// @sspkit/cli as a library: the command implementations, for embedding and tests.
export { handshakeCommand, runHandshakeReport, formatHandshake } from './commands/handshake.js';
export type { HandshakeJson, LegJson, RoundTripJson } from './commands/handshake.js';
export { packagesCommand } from './commands/packages.js';
export type { PackageJson } from './commands/packages.js';
export { statusCommand, parseStatus } from './commands/status.js';
export { decodeCommand, decodeStopped } from './commands/decode.js';
export type { DecodeOptions } from './commands/decode.js';
export type { StatusJson } from './commands/status.js';
export { loadSspi, importModule } from './load.js';
export type { LoadedSspi } from './load.js';
export { catalog, DEMO } from './catalog.js';
export type { CatalogEntry, HandshakeInputs } from './catalog.js';
export { serveCommand, startServe, formatServe } from './commands/serve.js';
export type { ServeHandle, ServeJson, ServeOptions } from './commands/serve.js';
export {
  SERVE_ACCOUNTS,
  SERVE_SCHEMES,
  demoDigestScheme,
  demoNtlmScheme,
  demoSchemes,
  parseSchemes,
} from './commands/serve-config.js';
export type { ServeScheme } from './commands/serve-config.js';
export { fetchCommand, parseClientSchemes } from './commands/fetch.js';
export type { FetchJson, FetchOptions } from './commands/fetch.js';
