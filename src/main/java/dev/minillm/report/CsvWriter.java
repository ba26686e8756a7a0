package dev.minillm.report;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The comparison tables as CSV, one line per cell (the Markdown table transposed) with raw
 * numbers: for each figure its value, its standard deviation (or ratio spread) and n.
 */
final class CsvWriter {
    private static final Set<Row> SKIP = EnumSet.of(Row.STATUS, Row.MACHINE, Row.WEIGHTS);

    private CsvWriter() {
    }

    static String render(List<ComparisonTable> tables, List<AuditFlag> flags) throws IOException {
        List<String> header = new ArrayList<>(List.of("table", "model", "settings", "hostname", "cpu_model",
                "harness_version", "cell_id", "variant", "backend", "status", "reason", "synthetic",
                "baseline_variant", "audit_flags"));
        for (Row r : Row.values()) {
            if (!SKIP.contains(r)) {
                header.add(r.key);
                header.add(r.key + "_sd");
                header.add(r.key + "_n");
            }
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            csv.printRecord(header);
            for (ComparisonTable t : tables) {
                for (ComparisonTable.Column c : t.columns()) {
                    CellResult cell = c.cell();
                    List<String> rules = flags.stream()
                            .filter(f -> Objects.equals(f.file(), cell.file()) && f.cellId().equals(cell.displayId()))
                            .map(f -> f.rule().code()).distinct().toList();
                    List<Object> rec = new ArrayList<>(List.of(t.key(), t.model(), nz(t.settingsTag()),
                            nz(c.machine().hostname()), nz(c.machine().cpuModel()), nz(cell.harnessVersion()),
                            cell.displayId(), cell.variant(), cell.backend(), cell.status(), nz(cell.reason()),
                            cell.synthetic(), t.baselineVariant(), String.join(";", rules)));
                    for (Row r : Row.values()) {
                        if (SKIP.contains(r)) {
                            continue;
                        }
                        Figure f = c.figure(r);
                        if (f.value() != null) {
                            rec.add(f.value());
                            rec.add(f.spread() == null ? "" : f.spread());
                            rec.add(f.n() == null ? "" : f.n());
                        } else {
                            rec.add(f.isMissing() ? "" : f.text());
                            rec.add("");
                            rec.add("");
                        }
                    }
                    csv.printRecord(rec);
                }
            }
        }
        return out.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
