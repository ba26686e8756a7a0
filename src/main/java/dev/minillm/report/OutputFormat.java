package dev.minillm.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.common.BadInputException;
import dev.minillm.results.CellRecord;
import dev.minillm.results.CellRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a run prints on stdout (as llama-bench's {@code -o}): the Markdown report, its CSV (one line
 * per cell, the same rows as the Markdown table), the cell results themselves as a JSON array
 * or JSON lines, in the typed result schema (docs/cell-schema.md), or the report's JSON summary.
 */
public enum OutputFormat {
    MD, CSV, JSON, JSONL, SUMMARY;

    public static OutputFormat parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("-o: '" + text + "' is not an output format (md, csv, json, jsonl or summary)");
        }
    }

    /** The text of this format for a report and the cells of the run. */
    public String render(ReportResult report, List<CellRecord> cells) {
        return switch (this) {
            case MD -> report.markdown();
            case CSV -> file(report, ReportGenerator.CSV);
            case JSON -> json(cells);
            case JSONL -> jsonLines(cells);
            case SUMMARY -> file(report, ReportGenerator.SUMMARY);
        };
    }

    /** What can still be printed when the report's files could not be written: the cells, for the JSON formats. */
    public String renderCells(List<CellRecord> cells) {
        return switch (this) {
            case JSON -> json(cells);
            case JSONL -> jsonLines(cells);
            default -> "";
        };
    }

    private static String file(ReportResult report, String name) {
        Path p = report.files().stream().filter(f -> f.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the report wrote no " + name));
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }

    private static String json(List<CellRecord> cells) {
        try {
            return CellRecords.mapper().writeValueAsString(cells) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonLines(List<CellRecord> cells) {
        ObjectMapper compact = CellRecords.mapper().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        StringBuilder b = new StringBuilder();
        for (CellRecord c : cells) {
            try {
                b.append(compact.writeValueAsString(c)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }
}
