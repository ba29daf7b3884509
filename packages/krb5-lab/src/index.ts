export { labUp, labDown, readLab, labKinit, labAddUser, labCopyCcache, labStartKdc, labStopKdc, labEnvironment, labPublicInfo, labShellExports, isAlive } from './lab.js';
export type { Lab, LabOptions } from './lab.js';
export { findProgram, locate, missingPrograms, LabToolError, LAB_PROGRAMS } from './tools.js';
export type { LabProgram } from './tools.js';
export { renderKrb5Conf, renderKdcConf } from './config.js';
export type { RealmProfileInput } from './config.js';
export { findFreeLoopbackPort, waitForTcp } from './port.js';
