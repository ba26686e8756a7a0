package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict on crafted fixtures: the rule's choice, ties within noise, named constraint failures. */
class VerdictTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    private Path results() {
        return Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("results"));
    }

    private static Path cell(Path results, String name) {
        return results.resolve("raw").resolve(Fixtures.REAL_MODEL).resolve(name + ".json");
    }

    private static void edit(Path file, Consumer<ObjectNode> change) {
        ObjectNode json = Fixtures.read(file);
        change.accept(json);
        Fixtures.write(file, json);
    }

    /** Sets a metric's mean and stddev (a crafted figure; cv follows). */
    private static void set(ObjectNode cell, String metric, double mean, double sd) {
        Fixtures.metric(cell, metric).put("mean", mean).put("stddev", sd).put("cv", sd / mean);
    }

    private ReportResult report(Path results, Constraints k) {
        return ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false, k));
    }

    private static Verdict.Answer answer(ReportResult r) {
        List<Verdict.Answer> answers = r.verdicts().get(Fixtures.REAL_MODEL);
        assertEquals(1, answers.size());
        return answers.get(0);
    }

    @Test
    void fastestOnTheFrontIsRecommendedWithEveryNumberFromTheTable() {
        ReportResult r = report(results(), Constraints.none());
        Verdict.Answer a = answer(r);
        // Q4_K_M 30.5 ± 0.5 is faster than Q5_K_M 27.1 ± 0.5 beyond noise, and uses the least RAM
        assertEquals("Q4_K_M cpu", a.recommended());
        assertTrue(a.qualityMeasured());
        // F16 is slower and larger than Q8_0 and no better in KLD (baseline 0 vs 0.0008): still on the front by quality
        assertTrue(a.front().contains("F16 cpu"), a.front().toString());
        String head = a.lines().get(0);
        assertTrue(head.startsWith("On this machine, Q4_K_M cpu is the best trade-off: decode 30.5 ± 0.5 tok/s"), head);
        // ratio and spread exactly as the table's speedup row
        ComparisonTable t = r.tables().get(0);
        Figure speedup = t.columns().stream().filter(c -> c.header().equals("Q4_K_M cpu")).findFirst().orElseThrow()
                .figure(Row.DECODE_SPEEDUP_BASELINE);
        assertTrue(head.contains(String.format(java.util.Locale.ROOT, "(%.2f ± %.2f× the speed of F16 cpu)",
                speedup.value(), speedup.spread())), head);
        assertTrue(head.contains("perplexity +2.50 %"), head);
        assertTrue(head.contains("KLD 0.0310"), head);
        // the runner-up in hyperfine's manner, with what it gains
        String second = a.lines().get(1);
        assertTrue(second.startsWith("Q5_K_M cpu ran 0.89 ± 0.02× slower than Q4_K_M cpu") || second.contains("slower than Q4_K_M cpu"), second);
        assertTrue(second.contains("KLD 0.0120 vs 0.0310"), second);
        assertTrue(second.contains("hallucinated on 1 fewer of 30 facts"), second);
        // printed last on stdout (Markdown) and shown in the HTML
        assertTrue(r.markdown().contains("## Verdict"), r.markdown());
        assertTrue(r.markdown().strip().endsWith(a.lines().get(a.lines().size() - 1)), r.markdown());
    }

    @Test
    void dominatedVariantIsNeverRecommended() throws Exception {
        Path results = results();
        // Q5_K_S: slower than Q4_K_M, more RAM, worse KLD — dominated, although it would be the fastest without Q4_K_M
        Path q5s = cell(results, "Q5_K_S__cpu");
        Files.copy(cell(results, "Q5_K_M__cpu"), q5s);
        edit(q5s, j -> {
            ((ObjectNode) j.get("cell")).put("variant", "Q5_K_S").put("id", "qwen2.5-0.5b/Q5_K_S__cpu");
            set(j, "decode_tps", 29.0, 0.3);
            ((ObjectNode) j.get("quality").get("kld")).put("mean", 0.05);
        });
        // and Q4_K_M made slower than it: then Q5_K_S is the fastest, yet Q4_K_M... stays faster? no: check both ways
        Verdict.Answer a = answer(report(results, Constraints.none()));
        assertEquals("Q4_K_M cpu", a.recommended());
        assertEquals("Q4_K_M cpu", a.dominated().get("Q5_K_S cpu"), a.dominated().toString());
        assertFalse(a.front().contains("Q5_K_S cpu"));
        assertTrue(a.lines().stream().anyMatch(l -> l.contains("Never the answer here") && l.contains("Q5_K_S cpu (by Q4_K_M cpu)")),
                a.lines().toString());

        // a dominated variant that is the fastest of all is still never recommended: faster Q5_K_S but 3x the RAM
        // and worse quality than Q4_K_M cannot be dominated (it is faster), so make it dominated by making it slower than
        // Q4_K_M within noise and worse on RAM and quality
        edit(q5s, j -> {
            set(j, "decode_tps", 30.6, 0.5);
            set(j, "peak_rss_bytes", 900e6, 1e6);
        });
        Verdict.Answer b = answer(report(results, Constraints.none()));
        assertEquals("Q4_K_M cpu", b.dominated().get("Q5_K_S cpu"), b.dominated().toString());
        assertEquals("Q4_K_M cpu", b.recommended());
    }

    @Test
    void overlappingSpreadsAreATieBrokenByQuality() {
        Path results = results();
        // Q4_K_M 28.0 ± 1.5 vs Q5_K_M 27.1 ± 0.5: ratio 1.03 ± 0.06 overlaps 1
        edit(cell(results, "Q4_K_M__cpu"), j -> set(j, "decode_tps", 28.0, 1.5));
        ReportResult r = report(results, Constraints.none());
        Verdict.Answer a = answer(r);
        assertEquals("Q5_K_M cpu", a.recommended(), a.lines().toString());
        String second = a.lines().get(1);
        assertTrue(second.startsWith("Q4_K_M cpu decoded at 1.03 ± 0.06× the speed of Q5_K_M cpu: within noise"), second);

        // the HTML highlight follows the same rule: both tied columns are best in the decode row
        ComparisonTable t = r.tables().get(0);
        var best = HtmlWriter.best(t.measuredColumns(), Row.DECODE_TPS);
        assertEquals(java.util.Set.of("Q4_K_M cpu", "Q5_K_M cpu"),
                best.stream().map(ComparisonTable.Column::header).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void noHighlightWhenEveryValueIsWithinNoise() {
        Path results = results();
        for (String v : List.of("F16", "Q8_0", "Q5_K_M", "Q4_K_M")) {
            edit(cell(results, v + "__cpu"), j -> set(j, "ttft_ms", 400 + v.length(), 30));
        }
        ComparisonTable t = report(results, Constraints.none()).tables().get(0);
        assertEquals(java.util.Set.of(), HtmlWriter.best(t.measuredColumns(), Row.TTFT));
        // a clear winner is still highlighted alone
        assertEquals(1, HtmlWriter.best(t.measuredColumns(), Row.DECODE_TPS).size());
    }

    @Test
    void failingConstraintIsNamed() {
        Path results = results();
        ReportResult r = report(results, new Constraints(null, 100.0, null, null));
        Verdict.Answer a = answer(r);
        assertNull(a.recommended());
        String line = a.lines().get(0);
        assertTrue(line.startsWith("No variant meets --min-tps 100: "), line);
        assertTrue(line.contains("Q4_K_M cpu fails --min-tps 100 (decode 30.5 ± 0.5 tok/s)"), line);

        // RAM and KLD limits: only Q8_0 and Q5_K_M meet both; F16 and Q4_K_M are named with the figure that fails
        Verdict.Answer b = answer(report(results, new Constraints(600L * 1024 * 1024, null, null, 0.02)));
        assertEquals("Q5_K_M cpu", b.recommended(), b.lines().toString());
        assertTrue(b.failing().get("F16 cpu").get(0).startsWith("--max-ram 600 MiB (peak RAM 1082"), b.failing().toString());
        assertEquals(List.of("--max-kld 0.02 (KLD 0.0310)"), b.failing().get("Q4_K_M cpu"));
        assertTrue(b.lines().stream().anyMatch(l -> l.startsWith("Constraints --max-ram 600 MiB, --max-kld 0.02: met by Q5_K_M cpu")),
                b.lines().toString());

        // a perplexity limit in percent
        Verdict.Answer c = answer(report(results, new Constraints(4 * GIB, 20.0, 0.02, null)));
        assertEquals("Q5_K_M cpu", c.recommended());
        assertEquals(List.of("--max-ppl-increase 2 % (perplexity +2.50 %)"), c.failing().get("Q4_K_M cpu"));
        assertTrue(c.failing().get("F16 cpu").get(0).startsWith("--min-tps 20 (decode 14.2 ± 0.2 tok/s)"));
    }

    @Test
    void syntheticWeightsRecommendOnSpeedAndMemoryOnly() {
        ReportResult r = ReportGenerator.generate(Fixtures.SYNTHETIC, tmp.resolve("out"),
                new ReportOptions(false, false, new Constraints(null, null, null, 0.05)));
        Verdict.Answer a = r.verdicts().get("synth-tiny").get(0);
        assertFalse(a.qualityMeasured());
        assertEquals("Q4_K_M cpu", a.recommended(), a.lines().toString());
        assertTrue(a.lines().contains("Quality was not measured (synthetic weights): recommended on speed and memory only."),
                a.lines().toString());
        assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("Quality constraints (--max-kld) cannot be checked")), a.lines().toString());
        // F16 and Q8_0 are slower and larger than Q4_K_M: dominated
        assertTrue(a.dominated().containsKey("F16 cpu"), a.dominated().toString());
        assertEquals("Q4_K_M cpu", a.dominated().get("Q8_0 cpu"));
    }

    @Test
    void noiseRuleIsSymmetricAndUsesTheCombinedSpread() {
        // 30.5 ± 0.5 vs 27.1 ± 0.5: r = 1.125, s = 1.125 * hypot(0.5/30.5, 0.5/27.1) = 0.028
        Noise.Ratio r = Noise.ratio(30.5, 0.5, 27.1, 0.5);
        assertEquals(30.5 / 27.1, r.value(), 1e-12);
        assertEquals(30.5 / 27.1 * Math.hypot(0.5 / 30.5, 0.5 / 27.1), r.spread(), 1e-12);
        assertFalse(r.withinNoise());
        assertEquals(1, Noise.compare(30.5, 0.5, 27.1, 0.5, true));
        assertEquals(-1, Noise.compare(27.1, 0.5, 30.5, 0.5, true));
        assertEquals(0, Noise.compare(28.0, 1.5, 27.1, 0.5, true));
        assertEquals(0, Noise.compare(27.1, 0.5, 28.0, 1.5, false));
        // no spread: only equal values tie
        assertEquals(0, Noise.compare(0.01, null, 0.01, null, false));
        assertEquals(1, Noise.compare(0.01, null, 0.02, null, false));
    }
}
