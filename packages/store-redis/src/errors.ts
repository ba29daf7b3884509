/** Why a Redis store could not answer; the message names the operation and Redis's reason, no key. */
export class RedisStoreError extends Error {
  constructor(operation: string, error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    super(`redis ${operation}: ${why.slice(0, 160)}`);
    this.name = 'RedisStoreError';
  }
}

/** Redis refused a write for lack of memory (maxmemory reached with the noeviction policy). */
export function isOutOfMemory(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('OOM ');
}
