/**
 * Watches what a package lets out while a check runs: faults (thrown errors), strings in every value
 * a table slot returns, console output, and handshake tokens. The hygiene checks look for secrets in
 * it. Console output is passed through with every secret replaced, so the suite itself never prints one.
 */
import { format } from 'node:util';

/** One place a piece of text came from, e.g. `fault in AcceptSecurityContext`. */
export interface Observed {
  readonly where: string;
  readonly text: string;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Collects text and bytes the package produced during one check. */
export class Monitor {
  readonly texts: Observed[] = [];
  readonly tokens: { readonly where: string; readonly data: Uint8Array }[] = [];
  readonly faults: { readonly operation: string; readonly message: string }[] = [];
  readonly #secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  /** Replaces every secret in `text` (what the suite prints, and what it passes through from console). */
  redact(text: unknown): string {
    // What a package answered may be anything (a malformed attribute): never let it abort the run.
    let out = typeof text === 'string' ? text : String(text);
    for (const s of this.#secrets) out = out.split(s).join('***');
    return out;
  }

  /** Records a fault the dispatcher reported (a slot threw or returned garbage). */
  fault(operation: string, error: unknown): void {
    const texts = collectStrings(error);
    this.faults.push({ operation, message: this.redact(texts[0] ?? String(error)) });
    for (const t of texts) this.texts.push({ where: `error thrown by ${operation}`, text: t });
  }

  /** Records every string inside a value a slot returned. */
  result(slot: string, value: unknown): void {
    for (const t of collectStrings(value)) this.texts.push({ where: `value returned by ${slot}`, text: t });
  }

  /** Records a handshake token the package produced. */
  token(where: string, data: Uint8Array): void {
    this.tokens.push({ where, data: Uint8Array.from(data) });
  }

  /** Intercepts console output until the returned function is called; output is recorded and passed through redacted. */
  captureConsole(): () => void {
    const saved = new Map<string, (...args: unknown[]) => void>();
    const target = console as unknown as Record<string, (...args: unknown[]) => void>;
    for (const m of CONSOLE_METHODS) {
      const original = target[m]!;
      saved.set(m, original);
      target[m] = (...args: unknown[]) => {
        const line = format(...args);
        this.texts.push({ where: `console.${m}`, text: line });
        original.call(console, this.redact(line));
      };
    }
    return () => {
      for (const [m, fn] of saved) target[m] = fn;
    };
  }

  /** Where a secret appeared, as descriptions that never contain the secret itself. */
  leaks(): string[] {
    const found: string[] = [];
    for (const [i, s] of this.#secrets.entries()) {
      const label = `secret #${i + 1}`;
      for (const t of this.texts) if (t.text.includes(s)) found.push(`${label} in ${t.where}`);
      const utf8 = Buffer.from(s, 'utf8');
      const utf16 = Buffer.from(s, 'utf16le');
      for (const tok of this.tokens) {
        const b = Buffer.from(tok.data.buffer, tok.data.byteOffset, tok.data.length);
        if (b.includes(utf8) || b.includes(utf16)) found.push(`${label} in cleartext in ${tok.where}`);
      }
    }
    return [...new Set(found)];
  }
}

/** Every string reachable from a value (messages, stacks, causes, nested fields), depth-limited. */
export function collectStrings(value: unknown, depth = 0, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || depth > 6 || seen.has(value)) return [];
  if (value instanceof Uint8Array) return [];
  seen.add(value);
  const out: string[] = [];
  if (value instanceof Error) {
    out.push(value.message);
    if (value.stack) out.push(value.stack);
    if (value.cause !== undefined) out.push(...collectStrings(value.cause, depth + 1, seen));
  }
  const entries = value instanceof Map ? [...value.values()] : Array.isArray(value) ? value : Object.values(value);
  for (const v of entries) out.push(...collectStrings(v, depth + 1, seen));
  return out;
}
