/**
 * A small seeded pseudo-random generator for the demo data: the same seed gives the same data on
 * every machine and Node version.
 *
 * Written out here rather than taken from a package so that the sequence behind a seed can never
 * change with a dependency upgrade: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * 128-bit state, passes PractRand), seeded through the cyrb128 string hash.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly; throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element with probability proportional to its weight (weights >= 0, not all zero). */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  /** Normal deviate (Box-Muller). */
  normal(mean?: number, sd?: number): number;
  /** Standard Gumbel deviate: adding it to utilities and taking the largest samples a softmax. */
  gumbel(): number;
  /** Standard logistic deviate: `x + logistic() > 0` happens with probability 1 / (1 + e^-x). */
  logistic(): number;
}

/** cyrb128: four 32-bit words from a string, well mixed, to seed sfc32. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A number in [0, 1) that depends only on the text (for stable per-item offsets). */
export function hashUnit(text: string): number {
  return cyrb128(text)[0] / 4294967296;
}

/**
 * A generator seeded by any text, e.g. `createRandom('42:answers:17')`: deriving one seed per
 * respondent keeps each respondent's data independent of the order in which they are generated.
 *
 * @example
 *   const random = createRandom('42');
 *   random.int(1, 6); // the same throw on every run
 */
export function createRandom(seed: string | number): Random {
  let [a, b, c, d] = cyrb128(String(seed));
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs of a freshly seeded sfc32 are weakly mixed: discard a few.
  for (let i = 0; i < 12; i++) next();
  // Avoids log(0) in the deviates below.
  const open = (): number => next() || 2 ** -32;
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick(items) {
      if (!items.length) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted(items, weight) {
      const weights = items.map(weight);
      const total = weights.reduce((sum, w) => sum + w, 0);
      if (!(total > 0)) throw new Error('weighted pick needs a positive total weight');
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i]!;
        if (r < 0) return items[i]!;
      }
      return items[items.length - 1]!;
    },
    normal: (mean = 0, sd = 1) => mean + sd * Math.sqrt(-2 * Math.log(open())) * Math.cos(2 * Math.PI * next()),
    gumbel: () => -Math.log(-Math.log(open())),
    logistic() {
      const u = open();
      return Math.log(u / (1 - u));
    },
  };
  return random;
}
