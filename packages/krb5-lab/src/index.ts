// @sspkit/krb5-lab: what the CLI (`sspkit lab`) and the tests call (the README's API table). The
// realm's configuration files are internal; the package's own tests import them by path.
export { labUp, labDown, labList, labKinit, labAddUser, labCopyCcache, labPublicInfo, labShellExports } from './lab.js';
export type { LabStatus } from './lab.js';
export { readLab, labEnvironment } from './state.js';
export type { Lab, LabOptions } from './state.js';
export { labStartKdc, labStopKdc, isAlive, isLabKdc } from './kdc.js';
export { labStateDir } from './registry.js';
export type { LabRecord } from './registry.js';
export { findProgram, locate, missingPrograms, LabToolError } from './tools.js';
export type { LabProgram } from './tools.js';
export { findFreeLoopbackPort, waitForTcp } from './port.js';
