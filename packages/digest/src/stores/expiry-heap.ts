/**
 * A binary min-heap of (time, key) pairs: the nonce-count store pops what has expired in O(log n)
 * instead of scanning every entry, so a full store cannot be turned into a CPU sink.
 */

interface Item {
  readonly at: number;
  readonly key: string;
}

/** Min-heap ordered by `at`; stale items are tolerated and skipped by the owner. */
export class ExpiryHeap {
  readonly #items: Item[] = [];

  /** Number of items, stale ones included. */
  get size(): number {
    return this.#items.length;
  }

  /** Adds an item. */
  push(at: number, key: string): void {
    const items = this.#items;
    items.push({ at, key });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      const c = items[i];
      if (p === undefined || c === undefined || p.at <= c.at) break;
      items[parent] = c;
      items[i] = p;
      i = parent;
    }
  }

  /** The earliest item, without removing it. */
  peek(): Item | undefined {
    return this.#items[0];
  }

  /** Removes and returns the earliest item. */
  pop(): Item | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if ((items[l]?.at ?? Infinity) < (items[m]?.at ?? Infinity)) m = l;
      if ((items[r]?.at ?? Infinity) < (items[m]?.at ?? Infinity)) m = r;
      if (m === i) break;
      const a = items[i];
      const b = items[m];
      if (a === undefined || b === undefined) break;
      items[i] = b;
      items[m] = a;
      i = m;
    }
    return top;
  }
}
