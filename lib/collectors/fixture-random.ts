/**
 * Deterministic randomness for the fixture AWS. Every bucket gets its own generator seeded from (seed, account
 * index, bucket index), so buckets can be generated lazily, in any order, and still come out identical.
 */

/** 32-bit FNV-1a over the parts, for seeding and stable ids. */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${part}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

/** Stable hex id of the given length (e.g. Macie finding ids, canonical user ids, KMS key ids). */
export function stableHex(length: number, ...parts: (string | number)[]): string {
  let out = "";
  for (let i = 0; out.length < length; i++)
    out += hash32(...parts, i)
      .toString(16)
      .padStart(8, "0");
  return out.slice(0, length);
}

export function stableUuid(...parts: (string | number)[]): string {
  const h = stableHex(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface Random {
  /** [0, 1) */
  next(): number;
  chance(p: number): boolean;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (entries) => {
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, weight] of entries) {
        r -= weight;
        if (r < 0) return value;
      }
      return (entries[entries.length - 1] as readonly [unknown, number])[0] as (typeof entries)[number][0];
    },
  };
}
