/**
 * Wraps a package module so the suite can see what its tables do underneath the dispatcher: the
 * LSA handles it issues and retires (for the stale-handle check, which calls the tables directly,
 * as a host without the dispatcher's handle checks would), and every value its slots return (for
 * the hygiene checks). Behaviour is unchanged: results and exceptions pass through as they are.
 */
import { LSA_TABLE_MEMBERS, USER_TABLE_EXTENSIONS, USER_TABLE_MEMBERS, isSuccess } from '@sspkit/core';
import type { LsaSecHandle, SecurityPackageModule, SecpkgFunctionTable, SecpkgUserFunctionTable } from '@sspkit/core';
import type { Monitor } from './monitor.js';

/** What the wrapped tables did, by package index within the module. */
export class TableTracker {
  /** The module's own tables (unwrapped), by package index. */
  readonly lsa: SecpkgFunctionTable[] = [];
  readonly user: SecpkgUserFunctionTable[] = [];
  /** Context handles the package returned from a successful handshake leg or import. */
  readonly contexts = new Map<number, Set<LsaSecHandle>>();
  /** Context handles the dispatcher passed to DeleteContext. */
  readonly deletedContexts = new Map<number, Set<LsaSecHandle>>();
  readonly credentials = new Map<number, Set<LsaSecHandle>>();
  readonly freedCredentials = new Map<number, Set<LsaSecHandle>>();

  static #add(map: Map<number, Set<LsaSecHandle>>, index: number, h: unknown): void {
    if (typeof h !== 'number' && typeof h !== 'bigint') return;
    let set = map.get(index);
    if (!set) map.set(index, (set = new Set()));
    set.add(h);
  }

  /** Notes what one slot call means for handle lifetimes. */
  observe(index: number, slot: string, args: readonly unknown[], result: unknown): void {
    const r = result as
      { status?: unknown; credentialHandle?: unknown; newContextHandle?: unknown; contextHandle?: unknown } | undefined;
    const ok = typeof r?.status === 'number' && isSuccess(r.status);
    switch (slot) {
      case 'lsa.acquireCredentialsHandle':
        if (ok) TableTracker.#add(this.credentials, index, r?.credentialHandle);
        break;
      case 'lsa.freeCredentialsHandle':
        TableTracker.#add(this.freedCredentials, index, args[0]);
        break;
      case 'lsa.initLsaModeContext':
      case 'lsa.acceptLsaModeContext':
        if (ok) TableTracker.#add(this.contexts, index, r?.newContextHandle);
        break;
      case 'user.importContext':
        if (ok) TableTracker.#add(this.contexts, index, r?.contextHandle);
        break;
      case 'lsa.deleteContext':
        TableTracker.#add(this.deletedContexts, index, args[0]);
        break;
      default:
        break;
    }
  }
}

function wrapTable<T extends object>(
  table: T,
  kind: 'lsa' | 'user',
  members: readonly (readonly [string, number])[],
  index: number,
  tracker: TableTracker,
  monitor: Monitor,
): T {
  const source = table as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name] of members) {
    const fn = source[name];
    if (typeof fn !== 'function') continue;
    const slot = `${kind}.${name}`;
    out[name] = (...args: unknown[]): unknown => {
      const settle = (value: unknown): unknown => {
        monitor.result(slot, value);
        tracker.observe(index, slot, args, value);
        return value;
      };
      const value: unknown = (fn as (...a: unknown[]) => unknown).apply(table, args);
      return value instanceof Promise ? value.then(settle) : settle(value);
    };
  }
  return out as T;
}

/** A module whose tables report to `tracker` and `monitor`. */
export function trackModule(
  module: SecurityPackageModule,
  tracker: TableTracker,
  monitor: Monitor,
): SecurityPackageModule {
  const wrapped: SecurityPackageModule = {
    spLsaModeInitialize: async (v) => {
      const r = await module.spLsaModeInitialize(v);
      if (!Array.isArray(r?.tables)) return r;
      // Array.isArray narrows to any[]; the declared element type is what the slot promises.
      const tables = r.tables as readonly SecpkgFunctionTable[];
      tracker.lsa.length = 0;
      tracker.lsa.push(...tables);
      return { ...r, tables: tables.map((t, i) => wrapTable(t, 'lsa', LSA_TABLE_MEMBERS, i, tracker, monitor)) };
    },
  };
  const userInit = module.spUserModeInitialize;
  if (userInit) {
    wrapped.spUserModeInitialize = async (v) => {
      const r = await userInit.call(module, v);
      if (!Array.isArray(r?.tables)) return r;
      const tables = r.tables as readonly SecpkgUserFunctionTable[];
      tracker.user.length = 0;
      tracker.user.push(...tables);
      return {
        ...r,
        tables: tables.map((t, i) =>
          wrapTable(t, 'user', [...USER_TABLE_MEMBERS, ...USER_TABLE_EXTENSIONS], i, tracker, monitor),
        ),
      };
    };
  }
  return wrapped;
}
