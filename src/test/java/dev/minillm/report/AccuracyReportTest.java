package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accuracy rows of the comparison table and the audit's multiple-choice rules, on crafted cells. */
class AccuracyReportTest {
    @TempDir
    Path tmp;

    private CellResult cell(String variantBackend, double acc, int items, String sha, double factsPreferred, Double cosine) {
        return Fixtures.crafted(Fixtures.realCell(variantBackend), tmp.resolve("raw/qwen2.5-0.5b/" + variantBackend + ".json"), j -> {
            ObjectNode q = j.putObject("quality");
            q.put("synthetic", false);
            q.put("baseline_variant", "F16");
            ArrayNode mc = q.putArray("mc");
            ObjectNode t = mc.addObject();
            t.put("task", "winogrande");
            t.put("acc", acc);
            t.put("acc_stderr", dev.minillm.metrics.WithinNoise.proportionStderr((int) Math.round(acc * items), items));
            t.putNull("acc_norm");
            t.put("items", items);
            t.put("data_sha256", sha);
            t.putArray("sample_ids").add("a").add("b");
            ObjectNode lk = q.putObject("hallucination").putObject("likelihood");
            lk.put("accuracy", factsPreferred);
            lk.put("accuracy_stderr", 0.07);
            lk.put("mean_margin", 1.5);
            if (cosine != null) {
                ObjectNode wf = q.putObject("weight_fidelity");
                wf.put("mean_cosine", cosine);
                wf.put("min_cosine", cosine - 0.0005);
                wf.put("tensors", 169);
                wf.putArray("worst").addObject().put("name", "blk.0.attn_v");
            }
        });
    }

    @Test
    void tableShowsAccuracyWithTheDeltaAndTheNoiseVerdict() {
        CellResult f16 = cell("F16__cpu", 0.70, 200, "s", 0.80, 1.0);
        CellResult q8 = cell("Q8_0__cpu", 0.68, 200, "s", 0.79, 0.99995);
        CellResult q3 = cell("Q5_K_M__cpu", 0.55, 200, "s", 0.60, 0.9931);
        List<ComparisonTable> tables = ComparisonTable.build(List.of(f16, q8, q3), List.of());
        ComparisonTable t = tables.get(0);
        assertTrue(t.rows().contains(Row.WINOGRANDE));
        assertFalse(t.rows().contains(Row.HELLASWAG), "tasks nobody scored stay out of the table");
        String q8Text = col(t, "Q8_0").figure(Row.WINOGRANDE).render();
        String q3Text = col(t, "Q5_K_M").figure(Row.WINOGRANDE).render();
        assertEquals("68.0 ± 3.3 (−2.0 vs F16, within noise)", q8Text);
        assertEquals("55.0 ± 3.5 (−15.0 vs F16, beyond noise)", q3Text);
        assertEquals("70.0 ± 3.2", col(t, "F16").figure(Row.WINOGRANDE).render());
        assertEquals(0.68, col(t, "Q8_0").figure(Row.WINOGRANDE).value(), 1e-12, "the number stays machine-readable");
        assertEquals("mean cosine 0.99995, worst tensor blk.0.attn_v 0.99945", col(t, "Q8_0").figure(Row.WEIGHT_FIDELITY).render());
        assertEquals("baseline", col(t, "F16").figure(Row.WEIGHT_FIDELITY).render());
        assertTrue(col(t, "Q5_K_M").figure(Row.FACTS_LIKELIHOOD).render().startsWith("60.0, margin +1.50 nats (−20.0 vs F16, beyond noise)"),
                col(t, "Q5_K_M").figure(Row.FACTS_LIKELIHOOD).render());

        // The audit applies the same rule: Q5_K_M is beyond noise, so the task does rank these variants.
        assertEquals(List.of(), rules(Auditor.audit(List.of(f16, q8, q3))));
        assertEquals(List.of(AuditRule.MC_WITHIN_NOISE), rules(Auditor.audit(List.of(f16, q8))));
    }

    @Test
    void cellsScoredOnOtherItemsAreFlaggedAndNotCompared() {
        CellResult f16 = cell("F16__cpu", 0.70, 200, "s", 0.8, null);
        CellResult q8 = cell("Q8_0__cpu", 0.69, 200, "s", 0.8, null);
        CellResult other = cell("Q4_K_M__cpu", 0.40, 200, "another file", 0.8, null);
        List<AuditFlag> flags = Auditor.audit(List.of(f16, q8, other));
        assertTrue(rules(flags).contains(AuditRule.MC_DIFFERENT_ITEMS), flags.toString());
        assertEquals("qwen2.5-0.5b/Q4_K_M__cpu", flags.stream().filter(f -> f.rule() == AuditRule.MC_DIFFERENT_ITEMS).findFirst()
                .orElseThrow().cellId());
        ComparisonTable t = ComparisonTable.build(List.of(f16, q8, other), List.of()).get(0);
        assertEquals("40.0 ± 3.5 (other items than F16: not compared)", col(t, "Q4_K_M").figure(Row.WINOGRANDE).render());
    }

    private static ComparisonTable.Column col(ComparisonTable t, String variant) {
        return t.columns().stream().filter(c -> c.cell().variant().equals(variant) && c.cell().backend().equals("cpu"))
                .findFirst().orElseThrow();
    }

    private static List<AuditRule> rules(List<AuditFlag> flags) {
        return flags.stream().map(AuditFlag::rule).toList();
    }
}
