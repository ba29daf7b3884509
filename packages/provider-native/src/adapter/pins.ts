/**
 * A credential's service-ticket pins, by target (see ffi/ticket-pin.ts for why a pinned first
 * leg may run on the main thread). A target is pinned when a second handshake to it through the
 * credential completes the ordinary way, so a credential used once never pays for a pin.
 */
import { pinServiceTicket } from '../ffi/index.js';
import type { GssMech, NativeHandle, TicketPin } from '../ffi/index.js';

/** A ticket this close to its end is not used from a pin (clock skew; MIT renews it then). */
const PIN_MARGIN_MS = 60_000;
/** After a failed pin attempt, the target is not tried again for this long. */
const RETRY_MS = 30_000;
/** Pins kept per credential; the oldest goes first. */
const LIMIT = 64;

interface Slot {
  completions: number;
  pin?: TicketPin;
  creating: boolean;
  retryAt: number;
}

/** Service-ticket pins of one initiator credential. */
export class TicketPins {
  readonly #slots = new Map<string, Slot>();
  #closed = false;

  constructor(readonly mech: GssMech) {}

  /** The pin to make a first leg to `target` with, if one is held and not near its end. */
  usable(target: string, now = Date.now()): TicketPin | undefined {
    const pin = this.#slots.get(target)?.pin;
    if (pin === undefined) return undefined;
    if (pin.endsAt - now > PIN_MARGIN_MS) return pin;
    this.drop(target);
    return undefined;
  }

  /**
   * A context to `target` made without a pin has completed: on the second one, pin the ticket it
   * used. Never throws; a failed attempt only means no pin (retried later).
   */
  async completed(target: string, source: NativeHandle, ctx: NativeHandle): Promise<void> {
    if (this.#closed) return;
    let slot = this.#slots.get(target);
    if (slot === undefined) {
      slot = { completions: 0, creating: false, retryAt: 0 };
      this.#slots.set(target, slot);
      this.#evict();
    }
    slot.completions++;
    if (slot.pin !== undefined || slot.creating || slot.completions < 2 || Date.now() < slot.retryAt) return;
    slot.creating = true;
    try {
      const pin = await pinServiceTicket(source, ctx, this.mech);
      if (this.#closed || this.#slots.get(target) !== slot || pin.endsAt - Date.now() <= PIN_MARGIN_MS) {
        pin.release();
        slot.retryAt = Date.now() + RETRY_MS;
        return;
      }
      slot.pin = pin;
    } catch {
      slot.retryAt = Date.now() + RETRY_MS;
    } finally {
      slot.creating = false;
    }
  }

  /** Forgets the pin for `target` (it failed or ended); contexts using it keep it until they go. */
  drop(target: string): void {
    const slot = this.#slots.get(target);
    if (slot === undefined) return;
    slot.pin?.release();
    delete slot.pin;
    slot.completions = 0;
  }

  /** Releases every pin (FreeCredentialsHandle); later completions pin nothing. */
  clear(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) slot.pin?.release();
    this.#slots.clear();
  }

  #evict(): void {
    if (this.#slots.size <= LIMIT) return;
    for (const [target, slot] of this.#slots) {
      if (slot.creating) continue;
      slot.pin?.release();
      this.#slots.delete(target);
      return;
    }
  }
}
