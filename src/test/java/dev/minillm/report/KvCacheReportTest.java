package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's KV cache section: shown once a cell ran with a non-default cache, with bytes beside quality. */
class KvCacheReportTest {
    @TempDir
    Path tmp;

    @Test
    void sectionAppearsWithAQuantizedCacheAndShowsBytesBesideQuality() throws Exception {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("res"));
        ReportResult plain = ReportGenerator.generate(results, tmp.resolve("out0"), new ReportOptions(false, false));
        assertFalse(plain.markdown().contains("KV cache: quality vs bytes"), "default caches only: no section");

        Path q8 = results.resolve("raw/qwen2.5-0.5b/Q8_0__cpu.json");
        ObjectNode json = Fixtures.read(q8);
        ((ObjectNode) json.get("quality")).putObject("kv_cache").put("type_k", "q8_0").put("type_v", "q4_0")
                .put("flash_attn", true).put("bytes_per_token", 6144.0).put("default_bytes_per_token", 12288.0);
        Fixtures.write(q8, json);
        ReportResult r = ReportGenerator.generate(results, tmp.resolve("out"), new ReportOptions(false, false));
        String md = r.markdown();
        assertTrue(md.contains("## KV cache: quality vs bytes"), md);
        String row = md.lines().filter(l -> l.contains("K q8_0, V q4_0, flash-attn")).findFirst().orElseThrow();
        assertTrue(row.contains("| 6144 | -50.0 % |"), row);
        assertTrue(row.contains(String.format(java.util.Locale.ROOT, "%.6f", json.get("quality").get("kld").get("mean").asDouble())), row);
        assertTrue(Files.readString(tmp.resolve("out").resolve(ReportGenerator.HTML)).contains("id=\"kv-cache\""));
    }
}
