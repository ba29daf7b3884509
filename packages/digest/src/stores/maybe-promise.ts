/** A value a store may return directly (in-memory) or later (a shared network store). */
export type MaybePromise<T> = T | Promise<T>;
