package dev.minillm.report;

import java.util.List;

/**
 * A report section that is one plain table (headers, rendered rows, a note below), written as
 * Markdown and as HTML: the speculative-decoding and KV cache sections. The first {@code textColumns}
 * columns are left-aligned text, the rest numbers.
 */
record SectionTable(String id, String title, String[] headers, int textColumns, List<List<String>> rows, String note) {

    String markdown() {
        StringBuilder md = new StringBuilder("## ").append(title).append("\n\n| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int i = 0; i < headers.length; i++) {
            md.append(i < textColumns ? "---|" : "---:|");
        }
        md.append('\n');
        for (List<String> r : rows) {
            md.append("| ").append(String.join(" | ", r.stream().map(MarkdownWriter::esc).toList())).append(" |\n");
        }
        return md.append('\n').append(note).append("\n\n").toString();
    }

    /** {@code extra}: HTML placed after the note, inside the section (charts), or empty. */
    String html(String extra) {
        StringBuilder h = new StringBuilder("<section class=\"model\" id=\"").append(id).append("\">\n<h2>")
                .append(HtmlWriter.esc(title)).append("</h2>\n<table><thead><tr>");
        for (String head : headers) {
            h.append("<th>").append(HtmlWriter.esc(head)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (List<String> r : rows) {
            h.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                h.append(i < textColumns ? "<td>" : "<td class=\"num\">").append(HtmlWriter.esc(r.get(i))).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody></table>\n<p class=\"meta\">").append(HtmlWriter.esc(note)).append("</p>\n")
                .append(extra).append("</section>\n").toString();
    }
}
