/** Every check of the suite, in report order (one source file per SSPI area). */
import { attributeChecks } from './checks/attributes.js';
import { concurrencyChecks } from './checks/concurrency.js';
import { credentialChecks } from './checks/credentials.js';
import { exportImportChecks } from './checks/export-import.js';
import { handshakeChecks } from './checks/handshake.js';
import { hygieneChecks } from './checks/hygiene.js';
import { lifetimeChecks } from './checks/lifetime.js';
import { multiBufferChecks } from './checks/multi-buffer.js';
import { packageInfoChecks } from './checks/package-info.js';
import { perMessageChecks } from './checks/per-message.js';
import { replayChecks } from './checks/replay.js';
import { sharedStoreChecks } from './checks/shared-store.js';
import { tokenChecks } from './checks/token.js';
import type { ConformanceCheck } from './types.js';

/** The whole suite as data. */
export const ALL_CHECKS: readonly ConformanceCheck[] = [
  ...packageInfoChecks,
  ...credentialChecks,
  ...handshakeChecks,
  ...replayChecks,
  ...sharedStoreChecks,
  ...perMessageChecks,
  ...multiBufferChecks,
  ...attributeChecks,
  ...tokenChecks,
  ...exportImportChecks,
  ...lifetimeChecks,
  ...concurrencyChecks,
  ...hygieneChecks,
];
