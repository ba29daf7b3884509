/** Target names: Windows SPN forms and GSS host-based forms, to the GSS name type they import as. */
import { importName } from '../ffi/index.js';
import type { NameType, NativeHandle } from '../ffi/index.js';

/** How one target string is imported. */
export interface ParsedTarget {
  readonly text: string;
  readonly type: NameType;
}

/**
 * Windows form `HTTP/host@REALM` (or `HTTP/host:port`) is a Kerberos principal; Windows form
 * `HTTP/host` becomes host-based `HTTP@host` so the realm comes from [domain_realm] as Windows
 * finds it from the host's domain; GSS form `HTTP@host` (no slash) is host-based already.
 */
export function parseTarget(target: string): ParsedTarget {
  const slash = target.indexOf('/');
  if (slash < 0) return { text: target, type: 'hostbased' };
  const service = target.slice(0, slash);
  const rest = target.slice(slash + 1);
  if (rest.includes('@') || rest.includes(':') || rest.includes('/')) return { text: target, type: 'principal' };
  return { text: `${service}@${rest}`, type: 'hostbased' };
}

const CACHE_LIMIT = 64;

/**
 * Imported target names, reused across contexts. MIT resolves a host-based name to a Kerberos
 * principal on first use and keeps the result in the name object, so importing the same target
 * for every handshake repeated that work each time. Contexts pin the name they use; an evicted
 * name is released once no context pins it.
 */
export class TargetNameCache {
  readonly #names = new Map<string, NativeHandle>();

  /** The imported name for `target`, pinned for the caller (unpin it when done). */
  acquire(target: string): NativeHandle {
    let name = this.#names.get(target);
    if (name === undefined || name.isEmpty) {
      const parsed = parseTarget(target);
      name = importName(parsed.text, parsed.type);
      this.#names.set(target, name);
      if (this.#names.size > CACHE_LIMIT) {
        const oldest = this.#names.keys().next().value;
        if (oldest !== undefined) {
          this.#names.get(oldest)?.release();
          this.#names.delete(oldest);
        }
      }
    }
    name.pin();
    return name;
  }

  /** Releases every cached name (deferred for those still pinned by contexts). */
  clear(): void {
    for (const name of this.#names.values()) name.release();
    this.#names.clear();
  }
}
