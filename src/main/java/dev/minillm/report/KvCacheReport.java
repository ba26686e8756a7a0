package dev.minillm.report;

import dev.minillm.eval.QualityResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The quality cost of a quantized KV cache, beside what it saves: one row per quality cell (model,
 * variant, KV cache types, flash attention) with perplexity, KLD and top-1 agreement against the
 * family's baseline (always evaluated with the default f16 cache) and the KV bytes per token of
 * context. Shown when any cell ran with a cache other than llama.cpp's default.
 */
public final class KvCacheReport {
    /** One quality cell's KV setting and figures. */
    public record Entry(CellResult cell, String typeK, String typeV, boolean flashAttn, Double bytesPerToken,
                        Double defaultBytesPerToken) {
        boolean isDefault() {
            return "f16".equals(typeK) && "f16".equals(typeV) && !flashAttn;
        }

        String kv() {
            return "K " + typeK + ", V " + typeV + (flashAttn ? ", flash-attn" : "");
        }
    }

    private final List<Entry> entries;

    private KvCacheReport(List<Entry> entries) {
        this.entries = entries;
    }

    public static KvCacheReport of(List<CellResult> cells) {
        List<Entry> out = new ArrayList<>();
        for (CellResult c : cells) {
            if (!c.ok() || c.quality() == null || c.file() == null || c.synthetic()) {
                continue;
            }
            QualityResult.KvCache kv = c.record().quality() == null ? null : c.record().quality().kvCache();
            if (kv == null) {
                continue;
            }
            out.add(new Entry(c, kv.typeK() == null ? "f16" : kv.typeK(), kv.typeV() == null ? "f16" : kv.typeV(),
                    kv.flashAttn(), kv.bytesPerToken(), kv.defaultBytesPerToken()));
        }
        out.sort(Comparator.comparing((Entry e) -> e.cell().model()).thenComparing(e -> e.cell().variant())
                .thenComparing(e -> -(e.bytesPerToken() == null ? 0 : e.bytesPerToken())));
        return new KvCacheReport(out);
    }

    /** Worth a section: some cell ran with a non-default cache. */
    public boolean isEmpty() {
        return entries.stream().allMatch(Entry::isDefault);
    }

    static final String[] HEADERS = {"Model", "Variant", "KV cache", "KV bytes / token", "vs f16 cache", "PPL", "ΔPPL vs baseline",
        "KLD vs baseline, mean", "Top-1 agreement"};

    static List<String> row(Entry e) {
        CellResult.Quality q = e.cell().quality();
        List<String> r = new ArrayList<>(List.of(e.cell().model(), e.cell().variant(), e.kv()));
        r.add(e.bytesPerToken() == null ? Figure.MISSING : String.format(Locale.ROOT, "%.0f", e.bytesPerToken()));
        r.add(e.bytesPerToken() == null || e.defaultBytesPerToken() == null ? Figure.MISSING
                : String.format(Locale.ROOT, "%+.1f %%", 100 * (e.bytesPerToken() / e.defaultBytesPerToken() - 1)));
        r.add(q.ppl() == null ? Figure.MISSING : Figure.number(q.ppl(), q.pplStderr(), null).withPrecision().render());
        r.add(q.deltaPpl() == null ? Figure.MISSING : Figure.delta(q.deltaPpl(), null).render());
        r.add(q.kldMean() == null ? Figure.MISSING : String.format(Locale.ROOT, "%.6f", q.kldMean()));
        r.add(q.top1Agreement() == null ? Figure.MISSING : Figure.percent(q.top1Agreement()).render());
        return r;
    }

    private static final String NOTE = "Each row is evaluated with its own KV cache; the baseline (F16, else the most precise "
            + "variant) always uses llama.cpp's default f16 cache without flash attention, so a row's KLD is what the weights "
            + "and the cache together cost. Bytes per token: layers × KV heads × head size × bytes per value, K and V.";

    private SectionTable table() {
        return new SectionTable("kv-cache", "KV cache: quality vs bytes", HEADERS, 3, entries.stream().map(KvCacheReport::row).toList(), NOTE);
    }

    String markdown() {
        return table().markdown();
    }

    String html() {
        return table().html("");
    }
}
