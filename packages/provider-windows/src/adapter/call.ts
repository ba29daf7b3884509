/**
 * Running secur32 calls. The ones that may wait on a domain controller or KDC (AcquireCredentialsHandle
 * with a password, Initialize/AcceptSecurityContext) go through koffi's async calls, on its worker
 * threads, so the event loop keeps serving while Windows talks to the network.
 */
import type { Fn } from '../ffi/secur32.js';
import { mapSecur32Status } from '../status.js';
import type { MappedStatus, Secur32Call } from '../status.js';

/** Calls `fn` off the event loop and maps its SECURITY_STATUS. */
export function offLoop<A extends unknown[]>(fn: Fn<A>, call: Secur32Call, ...args: A): Promise<MappedStatus> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, result: number) => {
      if (err) reject(err instanceof Error ? err : new Error('koffi async call failed', { cause: err }));
      else resolve(mapSecur32Status(result, call));
    });
  });
}

/** Calls `fn` inline and maps its SECURITY_STATUS. */
export function inline<A extends unknown[]>(fn: (...a: A) => number, call: Secur32Call, ...args: A): MappedStatus {
  return mapSecur32Status(fn(...args), call);
}

/** The `cause` of a failed call: what secur32 returned and, when it was mapped, from what. */
export function causeOf(operation: string, s: MappedStatus): Error | undefined {
  if (s.note === undefined && (s.status & 0x80000000) === 0) return undefined;
  return new Error(s.note !== undefined ? `${operation}: ${s.note}` : `${operation} failed in secur32.dll`);
}
