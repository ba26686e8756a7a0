package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.KvCache;
import dev.minillm.engine.Session;
import dev.minillm.metrics.RssSampler;
import dev.minillm.results.LadderPoint;
import dev.minillm.results.Stat;
import dev.minillm.results.TestResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama-bench's tests inside a cell, measured as llama-bench measures them: a context of exactly
 * n_prompt + n_gen + n_depth tokens, random tokens (BOS first when the vocabulary adds one), the
 * prompt in batches of n_batch, generation one token per decode with a synchronize after each,
 * one warmup run, then each repetition from an empty cache filled to n_depth untimed.
 * tok/s = (n_prompt + n_gen) / time. Also the context ladder: the cost of each context depth.
 */
public final class LlamaBenchTests {
    private static final int LADDER_GEN = LadderPoint.DECODE_TOKENS;

    private LlamaBenchTests() {
    }

    /** One test: "pp512", "tg128", "pp512+tg128", any of them " @ d4096". */
    public record Test(int nPrompt, int nGen, int nDepth) {
        public String name() {
            String base = nPrompt > 0 && nGen > 0 ? "pp" + nPrompt + "+tg" + nGen : nPrompt > 0 ? "pp" + nPrompt : "tg" + nGen;
            return nDepth > 0 ? base + " @ d" + nDepth : base;
        }
    }

    private static final Pattern NAME = Pattern.compile("(?:pp(\\d+))?(\\+)?(?:tg(\\d+))?(?: @ d(\\d+))?");

    /** The test a llama-bench name stands for; null for a name that is none (e.g. "prompts"). */
    public static Test parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || m.group(1) == null && m.group(3) == null
                || (m.group(2) != null) != (m.group(1) != null && m.group(3) != null)) {
            return null;
        }
        return new Test(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    }

    /**
     * The test names of llama-bench's -p, -n, -pg and -d: every prompt size and generation length
     * alone, every pair together, each at every depth (llama-bench's order).
     */
    public static List<String> names(List<Integer> prompts, List<Integer> gens, List<int[]> pairs, List<Integer> depths) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        List<Integer> ds = depths.isEmpty() ? List.of(0) : depths;
        for (int d : ds) {
            for (int p : prompts) {
                if (p > 0) {
                    out.add(new Test(p, 0, d).name());
                }
            }
            for (int g : gens) {
                if (g > 0) {
                    out.add(new Test(0, g, d).name());
                }
            }
            for (int[] pg : pairs) {
                if (pg[0] > 0 || pg[1] > 0) {
                    out.add(new Test(pg[0], pg[1], d).name());
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** A -pg value "512,128". */
    public static int[] pair(String text) {
        String[] f = text.split(",");
        try {
            if (f.length == 2) {
                int p = Integer.parseInt(f[0].strip());
                int g = Integer.parseInt(f[1].strip());
                if (p >= 0 && g >= 0) {
                    return new int[] {p, g};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new BadInputException("-pg: '" + text + "' is not PROMPT,GEN (e.g. 512,128)");
    }

    /** The settings of a context for {@code nCtx} tokens, otherwise as the cell's. */
    static EngineSettings sized(EngineSettings s, int nCtx) {
        return new EngineSettings(s.threads(), Math.max(nCtx, 8), s.batch(), s.ubatch(), s.cacheTypeK(), s.cacheTypeV(),
                s.flashAttn(), s.gpuLayers(), s.verbose());
    }

    public static TestResult measure(Session model, EngineSettings cell, Test t, int reps, Random rnd) {
        try (Session c = model.newContext(sized(cell, t.nPrompt() + t.nGen() + t.nDepth()))) {
            int pos = 0;
            if (t.nPrompt() > 0) {
                pos = prompt(c, t.nPrompt(), pos, rnd);
            }
            if (t.nGen() > 0) {
                gen(c, 1, pos, rnd);
            }
            double[] samples = new double[reps];
            for (int r = 0; r < reps; r++) {
                c.clearCache();
                pos = t.nDepth() > 0 ? prompt(c, t.nDepth(), 0, rnd) : 0;
                long t0 = System.nanoTime();
                if (t.nPrompt() > 0) {
                    pos = prompt(c, t.nPrompt(), pos, rnd);
                }
                if (t.nGen() > 0) {
                    gen(c, t.nGen(), pos, rnd);
                }
                samples[r] = (t.nPrompt() + t.nGen()) * 1e9 / (System.nanoTime() - t0);
            }
            List<Double> list = new ArrayList<>();
            for (double v : samples) {
                list.add(v);
            }
            return new TestResult(t.name(), t.nPrompt(), t.nGen(), t.nDepth(), Stat.of(samples), list);
        }
    }

    /**
     * One rung of the context ladder: a context for {@code depth} + {@value #LADDER_GEN} tokens,
     * the cache filled to {@code depth}; llama.cpp's size of what it holds, the RSS it cost (context
     * creation and filling, against the model alone), and decode speed at that depth.
     */
    public static LadderPoint ladder(Session model, EngineSettings cell, KvCache kv, int depth, int reps, Random rnd) {
        long before = RssSampler.kernelRssBytes();
        try (Session c = model.newContext(sized(cell, depth + LADDER_GEN))) {
            prompt(c, depth, 0, rnd);
            long state = c.sequenceStateBytes();
            Long reported = state < 0 ? null : state;
            long rssDelta = RssSampler.kernelRssBytes() - before;
            gen(c, 1, depth, rnd); // warmup
            double[] tps = new double[reps];
            for (int r = 0; r < reps; r++) {
                c.clearCache();
                prompt(c, depth, 0, rnd);
                long t0 = System.nanoTime();
                gen(c, LADDER_GEN, depth, rnd);
                tps[r] = LADDER_GEN * 1e9 / (System.nanoTime() - t0);
            }
            long perToken = kv.bytesPerToken(cell.cacheTypeK(), cell.cacheTypeV());
            return new LadderPoint(depth, perToken, perToken * depth, reported, rssDelta, Stat.of(tps));
        }
    }

    /** llama-bench's test_prompt: random tokens in batches of n_batch, the first a BOS when the vocabulary adds one. */
    static int prompt(Session c, int n, int pos, Random rnd) {
        int batch = c.batchCapacity();
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, batch);
            int[] tokens = new int[k];
            tokens[0] = done == 0 && c.addsBos() ? c.bosToken() : rnd.nextInt(c.vocabularySize());
            for (int i = 1; i < k; i++) {
                tokens[i] = rnd.nextInt(c.vocabularySize());
            }
            c.forward(tokens, pos + done, null);
            done += k;
        }
        c.synchronize();
        return pos + n;
    }

    /** llama-bench's test_gen: one token per decode, synchronized after each. */
    static int gen(Session c, int n, int pos, Random rnd) {
        int[] token = {c.addsBos() ? c.bosToken() : rnd.nextInt(c.vocabularySize())};
        for (int i = 0; i < n; i++) {
            c.forward(token, pos + i, null);
            c.synchronize();
            token[0] = rnd.nextInt(c.vocabularySize());
        }
        return pos + n;
    }
}
