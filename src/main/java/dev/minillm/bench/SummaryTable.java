package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** A Markdown table of a run's cells on stdout (the full report is 'minillm report'). */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String markdown(List<JsonNode> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | variant | backend | status | size MiB | bpw | cold load ms | warm load ms | TTFT ms | prompt tok/s | decode tok/s | ITL p50/p99 ms | peak RSS MiB | wrapper tok/s | llama.cpp diff |\n");
        sb.append("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (JsonNode r : results) {
            JsonNode cell = r.path("cell");
            JsonNode m = r.path("metrics");
            JsonNode mi = r.path("model_info");
            String status = r.path("status").asText();
            sb.append("| ").append(cell.path("model").asText())
                    .append(mi.path("synthetic").asBoolean() ? " (synthetic)" : "")
                    .append(" | ").append(cell.path("variant").asText())
                    .append(" | ").append(cell.path("backend").asText())
                    .append(" | ").append(status.equals("ok") ? "ok" : status + ": " + r.path("reason").asText().replace('|', '/'));
            if (!status.equals("ok")) {
                sb.append(" |  |  |  |  |  |  |  |  |  |  |  |\n");
                continue;
            }
            sb.append(" | ").append(fmt(mi.path("file_size_bytes").asDouble() / 1048576.0, 1))
                    .append(" | ").append(fmt(mi.path("bits_per_weight").asDouble(), 2))
                    .append(" | ").append(med(m, "load_cold_ms", 1))
                    .append(" | ").append(med(m, "load_warm_ms", 1))
                    .append(" | ").append(med(m, "ttft_ms", 2))
                    .append(" | ").append(med(m, "prompt_tps", 1))
                    .append(" | ").append(med(m, "decode_tps", 1))
                    .append(" | ").append(med(m, "itl_p50_ms", 2)).append(" / ").append(med(m, "itl_p99_ms", 2))
                    .append(" | ").append(fmt(m.path("peak_rss_bytes").path("median").asDouble() / 1048576.0, 1))
                    .append(" | ").append(m.has("wrapper_decode_tps") ? med(m, "wrapper_decode_tps", 1) : "-")
                    .append(" | ").append(fmt(r.path("crosscheck").path("decode_diff_pct").asDouble(), 1)).append(" %")
                    .append(r.path("crosscheck").path("flagged").asBoolean() ? " (!)" : "")
                    .append(" |\n");
        }
        sb.append("\nMedians over the measured repetitions; decode excludes the first token; "
                + "llama.cpp diff = our decode tok/s vs llama.cpp's own timing ((!) over 5 %).\n");
        return sb.toString();
    }

    private static String med(JsonNode metrics, String key, int digits) {
        JsonNode v = metrics.path(key).path("median");
        return v.isNumber() ? fmt(v.asDouble(), digits) : "-";
    }

    private static String fmt(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "-";
    }
}
