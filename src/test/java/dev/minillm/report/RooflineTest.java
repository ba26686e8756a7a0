package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roofline rows from the cell's own records, the audit rule above the line, the chart. */
class RooflineTest {
    private static final double MIB = 1024.0 * 1024.0;

    @TempDir
    Path tmp;

    @Test
    void rowsFollowFromBandwidthAndBytesPerToken() throws Exception {
        ReportResult r = ReportGenerator.generate(Fixtures.REALISTIC, tmp.resolve("out"), ReportOptions.defaults());
        ComparisonTable t = r.tables().get(0);
        ComparisonTable.Column q4 = t.columns().stream().filter(c -> c.header().equals("Q4_K_M cpu")).findFirst().orElseThrow();
        // fixture: weights = file size - 2 MiB, KV 24 x 256 x 2 bytes per position; 42 prompt tokens over 5 prompts,
        // 80 generated per repetition: mean depth 42/5 + 80/5/2
        double depth = 42.0 / 5 + 80.0 / 5 / 2;
        double bytes = 397807616 - 2 * MIB + 12288 * depth;
        assertEquals(bytes / MIB, q4.figure(Row.BYTES_PER_TOKEN).value(), 1e-9);
        assertEquals(20.0, q4.figure(Row.MEMORY_BANDWIDTH).value(), 1e-12);
        assertEquals(20e9 / bytes, q4.figure(Row.ROOFLINE_TPS).value(), 1e-9);
        Figure pct = q4.figure(Row.ROOFLINE_FRACTION);
        assertEquals(30.5 / (20e9 / bytes), pct.value(), 1e-12);
        assertEquals(Fixtures.read(Fixtures.realCell("Q4_K_M__cpu")).get("metrics").get("decode_tps").get("stddev").asDouble()
                / (20e9 / bytes), pct.spread(), 1e-12);
        assertEquals("memory bandwidth", q4.figure(Row.DECODE_BOUND).text());
        // prompt FLOP/s: 2 x params x prompt tok/s
        assertEquals(2.0 * 494032768 * 95.0 / 1e9, q4.figure(Row.PROMPT_GFLOPS).value(), 1e-6);
        assertTrue(r.markdown().contains("| Decode, % of roofline |"), r.markdown());
        assertTrue(r.markdown().contains("run at ≥ 60 % of the roofline: memory-bandwidth-bound"), r.markdown());
        String svg = Files.readString(tmp.resolve("out/charts/qwen2.5-0.5b-roofline.svg"));
        assertTrue(svg.contains("roofline this machine (20.0 GB/s)"), "legend names the line and its bandwidth");
        for (String v : List.of("F16", "Q8_0", "Q5_K_M", "Q4_K_M")) {
            assertTrue(svg.contains(">" + v + "<"), v);
        }
    }

    @Test
    void smallModelFarBelowTheLineIsCalledOverheadBound() {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path f = results.resolve("raw/qwen2.5-0.5b/Q4_K_M__cpu.json");
        ObjectNode json = Fixtures.read(f);
        // a stories260K-sized model: 1 MiB per token, 6,000 tok/s against a 20 GB/s line (~19,000 tok/s)
        ((ObjectNode) json.get("model_info").get("decode_traffic")).put("weight_bytes_per_token", 1 << 20).put("kv_bytes_per_position", 640);
        Fixtures.metric(json, "decode_tps").put("mean", 6000.0).put("stddev", 50.0).put("cv", 50.0 / 6000);
        Fixtures.write(f, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        ComparisonTable t = r.tables().get(0);
        ComparisonTable.Column q4 = t.columns().stream().filter(c -> c.header().equals("Q4_K_M cpu")).findFirst().orElseThrow();
        assertEquals("overhead", q4.figure(Row.DECODE_BOUND).text());
        assertTrue(t.rooflineNote().startsWith("Q4_K_M cpu is overhead-bound: 32 % of the memory roofline"), t.rooflineNote());
        // cache-sized models may beat the DRAM line; that is no audit finding
        assertTrue(r.flags().isEmpty(), r.flags().toString());
    }

    @Test
    void decodeAboveTheLineIsAnAuditFinding() {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path f = results.resolve("raw/qwen2.5-0.5b/F16__cpu.json");
        ObjectNode json = Fixtures.read(f);
        // 5 GB/s cannot deliver 14.2 tok/s of a 0.99 GB model
        ((ObjectNode) json.get("hardware").get("memory_bandwidth")).put("bytes_per_s", 5e9);
        Fixtures.write(f, json);
        List<AuditFlag> flags = Auditor.audit(CellReader.readAll(List.of(results)).cells());
        assertEquals(1, flags.size(), flags.toString());
        assertEquals(AuditRule.ABOVE_ROOFLINE, flags.get(0).rule());
        assertTrue(flags.get(0).message().startsWith("decode 14.2 ± 0.2 tok/s is above the roofline 5.0 tok/s"), flags.get(0).message());
    }

    @Test
    void cellsWithoutTheRecordsHaveNoRoofline() {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        Path f = results.resolve("raw/qwen2.5-0.5b/Q8_0__cpu.json");
        ObjectNode json = Fixtures.read(f);
        ((ObjectNode) json.get("hardware")).remove("memory_bandwidth");
        Fixtures.write(f, json);
        CellResult c = CellReader.readFile(f);
        assertNull(Roofline.decodeTps(c));
        assertTrue(Roofline.fraction(c).isMissing());
        assertTrue(Roofline.bytesPerToken(c) > 0);
    }
}
