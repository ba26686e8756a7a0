package dev.minillm.gguf.synth;

/** SplitMix64: a tiny, fast, well-mixed deterministic generator (one 64-bit word of state). */
final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in (0, 1]. */
    double nextUnit() {
        return ((next() >>> 11) + 1) * 0x1.0p-53;
    }

    /** Standard normal (Box-Muller; one of the pair is discarded, speed does not matter here). */
    double nextGaussian() {
        double u1 = nextUnit();
        double u2 = nextUnit();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Mixes a seed with a name so each tensor gets an independent, order-free stream. */
    static long seedFor(long seed, String name) {
        long h = 0xcbf29ce484222325L; // FNV-1a
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        return new SplitMix64(seed ^ h).next();
    }
}
