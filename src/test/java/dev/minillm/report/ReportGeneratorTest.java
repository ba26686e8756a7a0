package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.BadInputException;
import java.awt.image.BufferedImage;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on the hand-made fixture sets: values equal the inputs, ratios right, all formats written. */
class ReportGeneratorTest {
    private static final double MIB = 1024.0 * 1024.0;

    @TempDir
    Path tmp;

    private static ComparisonTable.Column column(ComparisonTable t, String header) {
        return t.columns().stream().filter(c -> c.header().equals(header)).findFirst().orElseThrow(() -> new AssertionError(header));
    }

    private static ComparisonTable table(ReportResult r, String model) {
        return r.tables().stream().filter(t -> t.model().equals(model)).findFirst().orElseThrow();
    }

    @Test
    void realisticTableCarriesTheInputValuesAndRatios() throws Exception {
        Path out = tmp.resolve("out");
        ReportResult r = ReportGenerator.generate(Fixtures.REALISTIC, out, new ReportOptions(false, false));
        assertEquals(9, r.cellCount());
        assertEquals(List.of(), r.flags());
        ComparisonTable t = table(r, Fixtures.REAL_MODEL);
        assertEquals("F16", t.baselineVariant());
        // columns ordered by size class, cpu before gpu; failed and skipped cells listed apart
        assertEquals(List.of("F16 cpu", "Q8_0 cpu", "Q5_K_M cpu", "Q4_K_M cpu"),
                t.measuredColumns().stream().map(ComparisonTable.Column::header).toList());
        assertEquals(5, t.notMeasured().size());

        for (String v : List.of("F16", "Q8_0", "Q5_K_M", "Q4_K_M")) {
            Path file = Fixtures.realCell(v + "__cpu");
            JsonNode json = Fixtures.read(file);
            ComparisonTable.Column c = column(t, v + " cpu");
            for (Map.Entry<Row, String> e : Map.of(Row.DECODE_TPS, "decode_tps", Row.PROMPT_TPS, "prompt_tps",
                    Row.TTFT, "ttft_ms", Row.LOAD_COLD, "load_cold_ms", Row.LOAD_WARM, "load_warm_ms",
                    Row.WRAPPER_DECODE_TPS, "wrapper_decode_tps", Row.ITL_P50, "itl_p50_ms", Row.ITL_P99, "itl_p99_ms").entrySet()) {
                JsonNode stat = json.get("metrics").get(e.getValue());
                Figure f = c.figure(e.getKey());
                assertEquals(stat.get("mean").asDouble(), f.value(), 1e-12, v + " " + e.getValue());
                assertEquals(stat.get("stddev").asDouble(), f.spread(), 1e-12);
                assertEquals(stat.get("n").asInt(), f.n());
            }
            assertEquals(json.get("metrics").get("peak_rss_bytes").get("mean").asDouble() / MIB,
                    c.figure(Row.PEAK_RSS).value(), 1e-9);
            assertEquals(json.get("model_info").get("file_size_bytes").asDouble() / MIB, c.figure(Row.SIZE_MIB).value(), 1e-9);
            assertEquals(json.get("quality").get("ppl").get("value").asDouble(), c.figure(Row.PPL).value(), 1e-12);
            assertEquals(json.get("quality").get("hallucination").get("accuracy").asDouble(),
                    c.figure(Row.HALLUCINATION_ACCURACY).value(), 1e-12);
        }
        // speedups and size ratio against F16 on the same backend, with combined relative spread
        double q4 = Fixtures.mean(Fixtures.realCell("Q4_K_M__cpu"), "decode_tps");
        double f16 = Fixtures.mean(Fixtures.realCell("F16__cpu"), "decode_tps");
        Figure speedup = column(t, "Q4_K_M cpu").figure(Row.DECODE_SPEEDUP_BASELINE);
        assertEquals(q4 / f16, speedup.value(), 1e-12);
        JsonNode q4s = Fixtures.read(Fixtures.realCell("Q4_K_M__cpu")).get("metrics").get("decode_tps");
        JsonNode f16s = Fixtures.read(Fixtures.realCell("F16__cpu")).get("metrics").get("decode_tps");
        double rel = Math.hypot(q4s.get("stddev").asDouble() / q4, f16s.get("stddev").asDouble() / f16);
        assertEquals(q4 / f16 * rel, speedup.spread(), 1e-12);
        assertEquals("×2.15 ± 0.05", speedup.render());
        assertEquals("baseline", column(t, "F16 cpu").figure(Row.DECODE_SPEEDUP_BASELINE).text());
        assertEquals(397807616.0 / 994156544.0, column(t, "Q4_K_M cpu").figure(Row.SIZE_RATIO).value(), 1e-12);
        // quality versus the baseline
        assertEquals(0.31, column(t, "Q4_K_M cpu").figure(Row.DELTA_PPL).value(), 1e-12);
        assertEquals(0.31 / 12.40, column(t, "Q4_K_M cpu").figure(Row.DELTA_PPL).spread(), 1e-12);
        assertEquals("+0.310 (+2.50 %)", column(t, "Q4_K_M cpu").figure(Row.DELTA_PPL).render());
        assertEquals(0.031, column(t, "Q4_K_M cpu").figure(Row.KLD_MEAN).value(), 1e-12);
        assertEquals("95.0 %", column(t, "Q4_K_M cpu").figure(Row.TOP1).render());
        assertEquals("baseline", column(t, "F16 cpu").figure(Row.KLD_MEAN).text());
        // no GPU cell ran: the speedup-over-CPU rows are left out
        assertFalse(t.rows().contains(Row.DECODE_SPEEDUP_CPU));

        String md = r.markdown();
        assertTrue(md.contains("| Decode tok/s | 14.2 ± 0.2 | 24.8 ± 0.4 | 27.1 ± 0.5 | 30.5 ± 0.5 |"), md);
        assertTrue(md.contains("Figures: mean ± sd over n = 5 measured repetitions"), "n is stated once per table: " + md);
        assertTrue(md.contains("| Metric | F16 cpu | Q8_0 cpu | Q5_K_M cpu | Q4_K_M cpu |"), md);
        assertTrue(md.contains("- Q4_K_M gpu: skipped: no GPU backend in this build"), md);
        assertTrue(md.contains("- Q3_K_S cpu: FAILED: child process timed out after 600 s"), md);
        assertTrue(md.contains("No flags"), md);
        assertEquals(md, Files.readString(out.resolve(ReportGenerator.MARKDOWN)));

        // CSV: one line per cell with raw numbers
        try (Reader in = Files.newBufferedReader(out.resolve(ReportGenerator.CSV))) {
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
            assertEquals(9, rows.size());
            Map<String, CSVRecord> byId = rows.stream().collect(Collectors.toMap(x -> x.get("cell_id"), Function.identity()));
            CSVRecord q4row = byId.get("qwen2.5-0.5b/Q4_K_M__cpu");
            assertEquals(q4, Double.parseDouble(q4row.get("decode_tps")), 1e-12);
            assertEquals("5", q4row.get("decode_tps_n"));
            assertEquals(q4 / f16, Double.parseDouble(q4row.get("decode_speedup_vs_baseline")), 1e-12);
            CSVRecord gpu = byId.get("qwen2.5-0.5b/Q4_K_M__gpu");
            assertEquals("skipped", gpu.get("status"));
            assertEquals("no GPU backend in this build", gpu.get("reason"));
            assertEquals("", gpu.get("decode_tps"));
        }
        // JSON summary
        JsonNode summary = Fixtures.MAPPER.readTree(out.resolve(ReportGenerator.SUMMARY).toFile());
        assertEquals(9, summary.get("cells").asInt());
        JsonNode cols = summary.get("tables").get(0).get("columns");
        JsonNode q4col = null;
        for (JsonNode c : cols) {
            if (c.get("cell_id").asText().equals("qwen2.5-0.5b/Q4_K_M__cpu")) {
                q4col = c;
            }
        }
        assertNotNull(q4col);
        assertEquals(q4, q4col.get("figures").get("decode_tps").get("value").asDouble(), 1e-12);
        assertEquals("30.5 ± 0.5 (n=5)", q4col.get("figures").get("decode_tps").get("display").asText());
        // HTML written, no charts asked for
        String html = Files.readString(out.resolve(ReportGenerator.HTML));
        assertTrue(html.contains("no GPU backend in this build"));
        assertFalse(Files.exists(out.resolve(ReportGenerator.CHARTS_DIR)));
    }

    @Test
    void chartsAreWrittenAsSvgAndPngAndInlinedWithoutExternalResources() throws Exception {
        Path out = tmp.resolve("out");
        ReportResult r = ReportGenerator.generate(List.of(Fixtures.REALISTIC, Fixtures.SYNTHETIC), out, ReportOptions.defaults());
        assertEquals(2, r.tables().size());
        for (String model : List.of("qwen2.5-0.5b", "synth-tiny")) {
            // Synthetic weights have no quality: their table gets no (empty) quality chart.
            List<String> charts = model.equals("synth-tiny") ? List.of("decode-vs-size", "load-time", "memory", "roofline")
                    : List.of("decode-vs-size", "quality-vs-size", "load-time", "memory", "roofline");
            for (String chart : charts) {
                Path svg = out.resolve("charts/" + model + "-" + chart + ".svg");
                Path png = out.resolve("charts/" + model + "-" + chart + ".png");
                // valid XML with drawing in it
                var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
                assertEquals("svg", doc.getDocumentElement().getTagName());
                assertTrue(doc.getElementsByTagName("path").getLength() + doc.getElementsByTagName("rect").getLength()
                        + doc.getElementsByTagName("line").getLength() + doc.getElementsByTagName("text").getLength() > 20, svg.toString());
                BufferedImage img = ImageIO.read(png.toFile());
                assertEquals(Charts.WIDTH, img.getWidth());
                assertEquals(Charts.HEIGHT, img.getHeight());
            }
        }
        // the decode chart labels each point with its variant; the synthetic table has a one-line note instead of a quality chart
        String decodeSvg = Files.readString(out.resolve("charts/qwen2.5-0.5b-decode-vs-size.svg"));
        for (String v : List.of("F16", "Q8_0", "Q5_K_M", "Q4_K_M")) {
            assertTrue(decodeSvg.contains(">" + v + "<"), v);
        }
        assertFalse(Files.exists(out.resolve("charts/synth-tiny-quality-vs-size.svg")));
        String html = Files.readString(out.resolve(ReportGenerator.HTML));
        assertEquals(9, html.split("<figure class=\"chart\"").length - 1);
        assertTrue(html.contains("Synthetic weights: speed and memory are representative of the architecture and size; quality is n/a."),
                "one line instead of an empty chart");
        // namespace names are identifiers, never fetched; url(#id) points inside the page
        String stripped = html.replaceAll("xmlns(:\\w+)?='[^']*'", "");
        for (String external : List.of("http://", "https://", "<link", "src=", "@import", "url\\((?!#)")) {
            assertFalse(java.util.regex.Pattern.compile(external).matcher(stripped).find(), "external reference: " + external);
        }
        // no temp files of the atomic writes left behind
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void anotherEngineIsItsOwnColumnWithRatiosAgainstTheBundledOne() {
        Path results = Fixtures.copy(Fixtures.SYNTHETIC, tmp.resolve("eng"));
        Path q8 = results.resolve("raw/synth-tiny/Q8_0__cpu.json");
        ObjectNode json = Fixtures.read(q8);
        ((ObjectNode) json.get("cell")).put("engine", "native");
        ((ObjectNode) json.get("cell")).put("id", "synth-tiny/Q8_0__cpu-native");
        Fixtures.metric(json, "decode_tps").put("mean", 630.0).put("median", 630.0);
        Fixtures.write(results.resolve("raw/synth-tiny/Q8_0__cpu-native.json"), json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = table(r, "synth-tiny");
        assertEquals(420.0, column(t, "Q8_0 cpu").figure(Row.DECODE_TPS).value(), 1e-9);
        ComparisonTable.Column nat = column(t, "Q8_0 cpu native");
        assertEquals(630.0, nat.figure(Row.DECODE_TPS).value(), 1e-9);
        assertEquals(1.5, nat.figure(Row.DECODE_SPEEDUP_BUNDLED).value(), 1e-9);
        assertNull(column(t, "Q8_0 cpu").figure(Row.DECODE_SPEEDUP_BUNDLED).value(), "the bundled column has no ratio to itself");
        // within the native engine there is no F16 baseline cell: no speedup is taken across engines
        assertNull(nat.figure(Row.DECODE_SPEEDUP_BASELINE).value(), "a ratio never mixes engines");
        assertNull(nat.figure(Row.DECODE_SPEEDUP_CPU).value());
    }

    @Test
    void syntheticWeightsShowNoQualityEvenWhenTheCellCarriesSome() {
        Path results = Fixtures.copy(Fixtures.SYNTHETIC, tmp.resolve("syn"));
        Path q8 = results.resolve("raw/synth-tiny/Q8_0__cpu.json");
        ObjectNode json = Fixtures.read(q8);
        json.set("quality", Fixtures.read(Fixtures.realCell("Q8_0__cpu")).get("quality"));
        Fixtures.write(q8, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = table(r, "synth-tiny");
        for (ComparisonTable.Column c : t.columns()) {
            assertEquals("synthetic weights", c.figure(Row.WEIGHTS).text());
            for (Row q : List.of(Row.PPL, Row.DELTA_PPL, Row.KLD_MEAN, Row.KLD_P99, Row.TOP1, Row.HALLUCINATION_ACCURACY,
                    Row.HALLUCINATION_RATE)) {
                assertEquals("n/a (synthetic)", c.figure(q).text(), c.header() + " " + q);
            }
        }
        assertEquals(List.of(AuditRule.QUALITY_ON_SYNTHETIC), r.flags().stream().map(AuditFlag::rule).toList());
        assertTrue(r.markdown().contains("| synth-tiny/Q8_0__cpu | quality-on-synthetic |"), r.markdown());
        assertTrue(r.markdown().contains("| Status | ok | ok ⚠1 | ok |"), r.markdown());
        assertFalse(r.markdown().contains("12.41"), "the real quality figure must not leak into the table");
        // speed is still reported for synthetic weights
        assertEquals(420.0, column(t, "Q8_0 cpu").figure(Row.DECODE_TPS).value(), 1e-9);
    }

    @Test
    void flaggedFiguresAreMarkedInTheTable() {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path q5 = results.resolve("raw/qwen2.5-0.5b/Q5_K_M__cpu.json");
        ObjectNode json = Fixtures.read(q5);
        Fixtures.metric(json, "decode_tps").put("cv", 0.18);
        ((ObjectNode) json.get("metrics").get("cold_load")).put("verified", false);
        Fixtures.write(q5, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable.Column c = column(table(r, Fixtures.REAL_MODEL), "Q5_K_M cpu");
        assertTrue(c.figure(Row.DECODE_TPS).flagged());
        assertTrue(c.figure(Row.LOAD_COLD).flagged());
        assertFalse(c.figure(Row.PROMPT_TPS).flagged());
        assertTrue(r.markdown().contains("27.1 ± 0.5 ⚠"), r.markdown());
        assertTrue(r.markdown().contains("| qwen2.5-0.5b/Q5_K_M__cpu | high-cv | decode tok/s CV = 18.0 % (limit 10 %) |"), r.markdown());
        assertTrue(r.markdown().contains("cold-load-not-cold"));
    }

    @Test
    void gpuCellsGetSpeedupOverCpuOfTheSameVariant() {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path gpu = results.resolve("raw/qwen2.5-0.5b/Q4_K_M__gpu.json");
        ObjectNode json = Fixtures.read(Fixtures.realCell("Q4_K_M__cpu"));
        ((ObjectNode) json.get("cell")).put("backend", "gpu").put("id", "qwen2.5-0.5b/Q4_K_M__gpu");
        Fixtures.metric(json, "decode_tps").put("mean", 91.5).put("stddev", 0.0);
        Fixtures.write(gpu, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = table(r, Fixtures.REAL_MODEL);
        assertEquals(List.of("F16 cpu", "Q8_0 cpu", "Q5_K_M cpu", "Q4_K_M cpu", "Q4_K_M gpu"),
                t.measuredColumns().stream().map(ComparisonTable.Column::header).toList());
        assertEquals(91.5 / 30.5, column(t, "Q4_K_M gpu").figure(Row.DECODE_SPEEDUP_CPU).value(), 1e-12);
        assertTrue(t.rows().contains(Row.DECODE_SPEEDUP_CPU));
        // no F16 ran on the GPU: no same-backend speedup to show
        assertTrue(column(t, "Q4_K_M gpu").figure(Row.DECODE_SPEEDUP_BASELINE).isMissing());
        assertTrue(column(t, "Q4_K_M cpu").figure(Row.DECODE_SPEEDUP_CPU).isMissing());
    }

    @Test
    void deltaPplIsComputedFromTheBaselineWhenTheCellLacksItAndParetoDropsDominatedVariants() {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path q5 = results.resolve("raw/qwen2.5-0.5b/Q5_K_M__cpu.json");
        ObjectNode json = Fixtures.read(q5);
        ObjectNode kld = (ObjectNode) json.get("quality").get("kld");
        kld.remove("delta_ppl");
        kld.put("mean", 0.05); // worse than the smaller Q4_K_M (0.031): dominated
        Fixtures.write(q5, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = table(r, Fixtures.REAL_MODEL);
        assertEquals(12.52 - 12.40, column(t, "Q5_K_M cpu").figure(Row.DELTA_PPL).value(), 1e-9);
        assertEquals("KLD mean", t.qualityAxis());
        assertEquals("no", column(t, "Q5_K_M cpu").figure(Row.PARETO).text());
        assertEquals("yes", column(t, "Q4_K_M cpu").figure(Row.PARETO).text());
        assertEquals("yes", column(t, "F16 cpu").figure(Row.PARETO).text());
    }

    @Test
    void toleratesUnknownFieldsMissingMetricsAndMalformedFiles() throws Exception {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path q8 = results.resolve("raw/qwen2.5-0.5b/Q8_0__cpu.json");
        ObjectNode json = Fixtures.read(q8);
        json.putObject("future_section").put("x", 1);
        ((ObjectNode) json.get("metrics")).put("new_metric_ms", "not a stat");
        ((ObjectNode) json.get("metrics")).remove("ttft_ms");
        ((ObjectNode) json.get("hardware")).put("npu", "none");
        Fixtures.write(q8, json);
        Path broken = results.resolve("raw/qwen2.5-0.5b/Q2_K__cpu.json");
        Files.writeString(broken, "{\"schema_version\": 1, \"status\": \"ok\", \"cell\": {");
        Files.writeString(results.resolve("raw/qwen2.5-0.5b/notes.json"), "[1, 2, 3]");

        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        assertEquals(9, r.cellCount());
        assertEquals(2, r.problems().size());
        assertTrue(r.problems().get(0).startsWith(broken.toString() + ": truncated: the JSON ends in the middle"), r.problems().get(0));
        assertFalse(r.problems().get(0).contains("\n"));
        assertTrue(r.problems().get(1).contains("notes.json: top level is a JSON array, not an object"), r.problems().get(1));
        ComparisonTable.Column c = column(table(r, Fixtures.REAL_MODEL), "Q8_0 cpu");
        assertTrue(c.figure(Row.TTFT).isMissing());
        assertTrue(r.markdown().contains("| Time to first token (ms) | 430 ± 11 | – | 495 ± 13 |"), r.markdown());
        assertTrue(r.markdown().contains("## Unreadable result files (2 skipped)"));
        // ... and each is a finding of the self-audit, as 'minillm audit' reports it
        assertEquals(2, r.flags().stream().filter(f -> f.rule() == AuditRule.UNREADABLE_RESULT).count());
        assertTrue(r.markdown().contains("| " + broken + " | unreadable-result | truncated"), r.markdown());
        assertTrue(r.markdown().contains("notes.json | unreadable-result | top level is a JSON array, not an object"), r.markdown());
    }

    @Test
    void noCellsIsBadInput() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty/raw"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ReportGenerator.generate(empty.getParent(), tmp.resolve("out"), ReportOptions.defaults()));
        assertTrue(e.getMessage().contains("no cell results"));
        assertThrows(BadInputException.class,
                () -> ReportGenerator.generate(tmp.resolve("missing"), tmp.resolve("out"), ReportOptions.defaults()));
    }

    @Test
    void mergesMachinesIntoColumnGroupsAndComparesWithinEachMachine() throws Exception {
        Path a = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("laptop"));
        Path b = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("server"));
        try (Stream<Path> files = Files.walk(b.resolve("raw"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                ObjectNode json = Fixtures.read(f);
                ((ObjectNode) json.get("hardware")).put("hostname", "big-server").put("cpu_model", "Xeon 8480");
                // three times the speed on a machine with three times the bandwidth: under its roofline
                ((ObjectNode) json.get("hardware").get("memory_bandwidth")).put("bytes_per_s", 60e9);
                if (json.get("metrics").has("decode_tps")) {
                    ObjectNode d = Fixtures.metric(json, "decode_tps");
                    d.put("mean", d.get("mean").asDouble() * 3);
                    d.put("stddev", d.get("stddev").asDouble() * 3);
                }
                Fixtures.write(f, json);
            }
        }
        ReportResult mixed = ReportGenerator.generate(List.of(a, b), tmp.resolve("out1"), new ReportOptions(false, false));
        assertTrue(mixed.flags().stream().allMatch(f -> f.rule() == AuditRule.MIXED_HARDWARE));
        assertEquals(9, mixed.flags().size()); // a tie: the first machine read is the reference, the other one is named

        ReportResult r = ReportGenerator.generate(List.of(a, b), tmp.resolve("out2"), new ReportOptions(true, false));
        assertEquals(List.of(), r.flags());
        ComparisonTable t = table(r, Fixtures.REAL_MODEL);
        assertEquals(2, t.machines().size());
        assertTrue(t.rows().contains(Row.MACHINE));
        List<ComparisonTable.Column> cols = t.measuredColumns();
        assertEquals(8, cols.size());
        assertEquals("bench-box", cols.get(0).machine().label());
        assertEquals("big-server", cols.get(4).machine().label());
        // speedup vs F16 uses the F16 of the same machine: equal on both
        double laptop = cols.get(3).figure(Row.DECODE_SPEEDUP_BASELINE).value();
        double server = cols.get(7).figure(Row.DECODE_SPEEDUP_BASELINE).value();
        assertEquals(30.5 / 14.2, laptop, 1e-12);
        assertEquals(laptop, server, 1e-12);
        assertEquals(91.5, cols.get(7).figure(Row.DECODE_TPS).value(), 1e-9);
        assertTrue(r.markdown().contains("| Machine | bench-box | bench-box | bench-box | bench-box | big-server |"), r.markdown());
        String html = Files.readString(tmp.resolve("out2").resolve(ReportGenerator.HTML));
        assertTrue(html.contains("<th class=\"machine\" colspan=\"4\">big-server<span class=\"cpu\">Xeon 8480</span></th>"));
    }

    @Test
    void aCellWithoutHardwareJoinsTheTablesOnlyMachine() throws Exception {
        // the bench writes a skipped cell from the parent without a hardware snapshot
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path gpu = results.resolve("raw/qwen2.5-0.5b/Q4_K_M__gpu.json");
        ObjectNode json = Fixtures.read(gpu);
        json.remove("hardware");
        json.remove("model_info");
        Fixtures.write(gpu, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = table(r, Fixtures.REAL_MODEL);
        assertEquals(1, t.machines().size());
        assertFalse(t.multiMachine());
        assertEquals("bench-box", column(t, "Q4_K_M gpu").machine().label());
        assertTrue(r.markdown().contains("- Q4_K_M gpu: skipped: no GPU backend in this build\n"), r.markdown());
        assertEquals(List.of(), r.flags());
    }

    @Test
    void aResultsDirWithoutRawIsScannedButItsTablesAreNot() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("flat"));
        Files.copy(Fixtures.realCell("Q8_0__cpu"), dir.resolve("Q8_0__cpu.json"));
        ReportResult first = ReportGenerator.generate(dir, dir.resolve("tables"), new ReportOptions(false, false));
        assertEquals(1, first.cellCount());
        assertTrue(Files.exists(dir.resolve("tables/summary.json")));
        ReportResult second = ReportGenerator.generate(dir, dir.resolve("tables"), new ReportOptions(false, false));
        assertEquals(1, second.cellCount());
        assertEquals(List.of(), second.problems());
    }

    @Test
    void withoutAnyQualityResultTheQualityRowsAreLeftOutAndSaidSo() throws Exception {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        try (Stream<Path> files = Files.walk(results.resolve("raw"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                ObjectNode json = Fixtures.read(f);
                json.putNull("quality");
                Fixtures.write(f, json);
            }
        }
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = table(r, Fixtures.REAL_MODEL);
        assertFalse(t.hasQuality());
        assertFalse(t.rows().contains(Row.PPL));
        assertTrue(r.markdown().contains("Quality: not measured (no cell has quality results)."));
        assertFalse(r.markdown().contains("Perplexity"));
    }
}
