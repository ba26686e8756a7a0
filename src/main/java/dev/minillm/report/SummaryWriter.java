package dev.minillm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.PrettyJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The JSON summary: every table's columns with their figures as numbers, the audit, the skipped inputs. */
final class SummaryWriter {
    private static final ObjectMapper MAPPER = PrettyJson.mapper();

    private SummaryWriter() {
    }

    static String render(List<ComparisonTable> tables, Map<String, List<Verdict.Answer>> verdicts, Prediction.Table predicted,
                         List<AuditFlag> flags, List<String> problems,
                         int cellCount, String generatedUtc, String version) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("summary_version", 1);
        root.put("generated_utc", generatedUtc);
        root.put("minillm_version", version);
        root.put("cells", cellCount);
        root.put("unreadable_files", problems.size());
        ArrayNode ts = root.putArray("tables");
        for (ComparisonTable t : tables) {
            ObjectNode tn = ts.addObject();
            tn.put("key", t.key());
            tn.put("model", t.model());
            tn.put("settings_tag", t.settingsTag());
            tn.put("settings", t.settingsSummary());
            tn.put("baseline_variant", t.baselineVariant());
            tn.put("quality_axis", t.qualityAxis());
            ArrayNode ms = tn.putArray("machines");
            for (ComparisonTable.Machine m : t.machines()) {
                ms.addObject().put("hostname", m.hostname()).put("cpu_model", m.cpuModel());
            }
            ArrayNode vs = tn.putArray("verdict");
            for (Verdict.Answer a : verdicts.getOrDefault(t.key(), List.of())) {
                ObjectNode vn = vs.addObject();
                vn.put("machine", a.machine());
                vn.put("recommended", a.recommended());
                vn.put("quality_measured", a.qualityMeasured());
                a.front().forEach(vn.putArray("pareto_front")::add);
                ObjectNode dom = vn.putObject("dominated_by");
                a.dominated().forEach(dom::put);
                ObjectNode fail = vn.putObject("failing_constraints");
                a.failing().forEach((k, v) -> v.forEach(fail.withArray(k)::add));
                a.lines().forEach(vn.putArray("lines")::add);
            }
            ArrayNode cols = tn.putArray("columns");
            for (ComparisonTable.Column c : t.columns()) {
                CellResult cell = c.cell();
                ObjectNode cn = cols.addObject();
                cn.put("cell_id", cell.displayId());
                cn.put("file", cell.file() == null ? null : cell.file().toString());
                cn.put("variant", cell.variant());
                cn.put("backend", cell.backend());
                cn.put("hostname", c.machine().hostname());
                cn.put("status", cell.status());
                cn.put("reason", cell.reason());
                cn.put("synthetic", cell.synthetic());
                cn.put("harness_version", cell.harnessVersion());
                ArrayNode rules = cn.putArray("audit_flags");
                flags.stream().filter(f -> Objects.equals(f.file(), cell.file()) && f.cellId().equals(cell.displayId()))
                        .forEach(f -> rules.add(f.rule().code()));
                ObjectNode figs = cn.putObject("figures");
                for (Row r : t.rows()) {
                    if (r == Row.STATUS || r == Row.MACHINE || r == Row.WEIGHTS) {
                        continue;
                    }
                    Figure f = c.figure(r);
                    if (f.isMissing()) {
                        continue;
                    }
                    ObjectNode fn = figs.putObject(r.key);
                    if (f.value() != null) {
                        fn.put("value", f.value());
                        if (f.spread() != null) {
                            fn.put(f.kind() == Figure.Kind.DELTA ? "relative" : "spread", f.spread());
                        }
                        if (f.n() != null) {
                            fn.put("n", f.n());
                        }
                    } else {
                        fn.put("text", f.text());
                    }
                    fn.put("display", f.render());
                    if (f.flagged()) {
                        fn.put("flagged", true);
                    }
                }
            }
        }
        if (predicted != null) {
            root.set("predicted", Prediction.toJson(predicted));
        }
        ArrayNode fs = root.putArray("audit");
        for (AuditFlag f : flags) {
            fs.addObject().put("cell_id", f.cellId()).put("file", f.file() == null ? null : f.file().toString())
                    .put("rule", f.rule().code()).put("metric", f.metric()).put("message", f.message());
        }
        ArrayNode ps = root.putArray("unreadable");
        problems.forEach(ps::add);
        return MAPPER.writeValueAsString(root) + "\n";
    }
}
