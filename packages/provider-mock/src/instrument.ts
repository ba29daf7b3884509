/**
 * Wraps every slot of a function table so that calls are counted, logged (secrets left out) and
 * subject to the script's rules.
 */
import { isSuccess, isValidBufferDesc } from '@sspkit/core';
import type { MockSlot, Script, ScriptRule } from './script.js';

/** Parameter names per slot, so the log reads like the C prototypes. */
const PARAMS: Partial<Record<MockSlot, readonly string[]>> = {
  initialize: ['packageId', 'parameters', 'functionTable'],
  acquireCredentialsHandle: ['principalName', 'credentialUseFlags', 'logonId', 'authorizationData'],
  queryCredentialsAttributes: ['credentialHandle', 'credentialAttribute'],
  freeCredentialsHandle: ['credentialHandle'],
  initLsaModeContext: [
    'credentialHandle',
    'contextHandle',
    'targetName',
    'contextRequirements',
    'targetDataRep',
    'inputBuffers',
    'outputBuffers',
  ],
  acceptLsaModeContext: [
    'credentialHandle',
    'contextHandle',
    'inputBuffers',
    'contextRequirements',
    'targetDataRep',
    'outputBuffers',
  ],
  deleteContext: ['contextHandle'],
  applyControlToken: ['contextHandle', 'controlToken'],
  queryContextAttributes: ['contextHandle', 'contextAttribute'],
  addCredentials: ['credentialHandle', 'principalName', 'packageName', 'credentialUseFlags', 'authorizationData'],
  setContextAttributes: ['contextHandle', 'contextAttribute', 'buffer'],
  setCredentialsAttributes: ['credentialHandle', 'credentialAttribute', 'buffer'],
  changeAccountPassword: ['domainName', 'accountName'],
  instanceInit: ['version', 'functionTable'],
  initUserModeContext: ['contextHandle', 'packedContext'],
  makeSignature: ['contextHandle', 'qualityOfProtection', 'messageBuffers', 'messageSequenceNumber'],
  verifySignature: ['contextHandle', 'messageBuffers', 'messageSequenceNumber'],
  sealMessage: ['contextHandle', 'qualityOfProtection', 'messageBuffers', 'messageSequenceNumber'],
  unsealMessage: ['contextHandle', 'messageBuffers', 'messageSequenceNumber'],
  getContextToken: ['contextHandle'],
  completeAuthToken: ['contextHandle', 'inputBuffers'],
  deleteUserModeContext: ['contextHandle'],
  exportContext: ['contextHandle', 'flags'],
  importContext: ['packedContext'],
  formatCredentials: ['credentials'],
  marshallSupplementalCreds: ['credentials'],
  marshalAttributeData: ['attributeInfo', 'attribute', 'attributeData'],
};

/** Slots whose result is a bare status rather than `{ status, … }`. */
const BARE_STATUS: ReadonlySet<MockSlot> = new Set<MockSlot>([
  'initialize',
  'shutdown',
  'freeCredentialsHandle',
  'deleteContext',
  'applyControlToken',
  'setContextAttributes',
  'setCredentialsAttributes',
  'changeAccountPassword',
  'instanceInit',
  'initUserModeContext',
  'makeSignature',
  'verifySignature',
  'sealMessage',
  'unsealMessage',
  'completeAuthToken',
  'deleteUserModeContext',
  'acceptCredentials',
  'saveCredentials',
  'getCredentials',
  'deleteCredentials',
  'setExtendedInformation',
  'updateCredentials',
]);

function summarize(value: unknown): unknown {
  if (value instanceof Uint8Array) return { length: value.length };
  if (isValidBufferDesc(value))
    return value.buffers.map((b) => ({ type: b.type, flags: b.flags, length: b.data.length }));
  if (typeof value === 'function') return 'function';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && value !== null) {
    // Auth data and the like: keep names, drop every secret-looking field.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (/password|secret|key|hash/i.test(k)) continue;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    }
    return out;
  }
  return value;
}

/** Hooks the package gives the instrumentation: what to do after a scripted success status. */
export interface InstrumentHooks {
  /** Called after a handshake slot succeeded and its status was replaced by a scripted one. */
  onStatusReplaced?(slot: MockSlot, result: unknown, status: number): void;
}

function statusOf(slot: MockSlot, result: unknown): number | undefined {
  if (BARE_STATUS.has(slot)) return typeof result === 'number' ? result : undefined;
  const s = (result as { status?: unknown } | undefined)?.status;
  return typeof s === 'number' ? s : undefined;
}

function apply(slot: MockSlot, rule: ScriptRule | undefined, result: unknown, hooks: InstrumentHooks): unknown {
  if (rule?.status === undefined || !isSuccess(rule.status)) return result;
  const st = statusOf(slot, result);
  if (st === undefined || !isSuccess(st)) return result;
  if (BARE_STATUS.has(slot)) return rule.status;
  const replaced = { ...(result as object), status: rule.status };
  hooks.onStatusReplaced?.(slot, replaced, rule.status);
  return replaced;
}

/** Returns a copy of `table` whose slots are counted, logged and scripted. */
export function instrument<T extends object>(
  table: T,
  kind: 'lsa' | 'user',
  script: Script,
  hooks: InstrumentHooks = {},
): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(table)) {
    if (typeof fn !== 'function') continue;
    const slot = name as MockSlot;
    const names = PARAMS[slot] ?? [];
    out[name] = (...args: unknown[]): unknown => {
      const { record, rule } = script.begin(kind, slot, () => {
        const a: Record<string, unknown> = {};
        names.forEach((n, i) => {
          if (args[i] !== undefined) a[n] = summarize(args[i]);
        });
        return a;
      });
      const finish = (result: unknown): unknown => {
        if (record) record.status = statusOf(slot, result) ?? 0;
        return result;
      };
      if (rule?.throws !== undefined) {
        if (record) record.status = 'threw';
        throw new Error(rule.throws);
      }
      const run = (): unknown => {
        if (rule?.status !== undefined && !isSuccess(rule.status))
          return finish(BARE_STATUS.has(slot) ? rule.status : { status: rule.status });
        const result = (fn as (...a: unknown[]) => unknown).apply(table, args);
        if (result instanceof Promise) return result.then((r) => finish(apply(slot, rule, r, hooks)));
        return finish(apply(slot, rule, result, hooks));
      };
      if (rule?.delayMs !== undefined && rule.delayMs > 0)
        return new Promise((resolve) => setTimeout(() => resolve(run()), rule.delayMs));
      return run();
    };
  }
  return out as T;
}
