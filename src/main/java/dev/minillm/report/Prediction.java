package dev.minillm.report;

import dev.minillm.results.Stat;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.BadInputException;
import dev.minillm.common.PrettyJson;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.quant.PlannedModel;
import dev.minillm.quant.QuantType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Predicted decode speed and RAM for shapes and variants that were not run, from what the
 * measured cells of one machine show about it. The model, fitted to those cells:
 *
 * <ul>
 *   <li>time per decoded token = overhead + bytes read per token ÷ effective bandwidth, fitted by
 *       least squares on the relative error (each cell counts alike, small or large); with one
 *       cell, or when the fit gives a negative overhead, the line goes through the origin (the same
 *       fraction of the bandwidth as measured);</li>
 *   <li>peak RAM = weights + KV cache at the context size + the process's fixed part (mean over
 *       the cells of peak RSS minus their weights and KV cache).</li>
 * </ul>
 * Every predicted figure is labelled "predicted" with this model and its fitted constants.
 */
public final class Prediction {
    private static final double MIB = 1024.0 * 1024.0;
    /** llama.cpp's usual context when a cell does not say its own. */
    private static final int FALLBACK_CTX = 2048;

    /** The fitted model of one machine and backend. */
    public record Model(String machine, String backend, int cells, List<String> fittedOn, double overheadSeconds,
                        double secondsPerByte, double fixedRamBytes, double depth, int ctx, Double measuredBandwidth,
                        double maxResidual) {
        /** Bytes per second the fit charges per byte read; infinite when the cells showed no cost per byte. */
        public double effectiveBandwidth() {
            return secondsPerByte > 0 ? 1.0 / secondsPerByte : Double.POSITIVE_INFINITY;
        }

        public double predictTps(double bytesPerToken) {
            return 1.0 / (overheadSeconds + secondsPerByte * bytesPerToken);
        }

        /** The model in one sentence, with its constants. */
        public String describe() {
            String bw = String.format(Locale.ROOT, "%.2f GB/s", effectiveBandwidth() / 1e9);
            String share = measuredBandwidth == null || secondsPerByte <= 0 ? ""
                    : String.format(Locale.ROOT, " (%.0f %% of the measured %.2f GB/s)", 100 * effectiveBandwidth() / measuredBandwidth,
                    measuredBandwidth / 1e9);
            String perByte = secondsPerByte > 0 ? " + bytes per token ÷ " + bw + share
                    : " (the cells showed no cost per byte read: overhead-bound)";
            return String.format(Locale.ROOT, "time per token = %.4f ms%s, fitted to %d %s cell%s of %s "
                            + "(%s; largest fit residual %.1f %%); peak RAM = weights + KV cache at the context size + %.0f MiB "
                            + "(mean fixed part of those cells), KV cache for ctx %d; decode at KV depth %.0f (as measured)",
                    overheadSeconds * 1e3, perByte, cells, backend, cells == 1 ? "" : "s", machine, String.join(", ", fittedOn),
                    maxResidual * 100, fixedRamBytes / MIB, ctx, depth);
        }
    }

    /** One predicted row. */
    public record Predicted(String shape, String variant, double bytesPerToken, double decodeTps, double peakRamBytes,
                            Double rooflineTps, long fileBytes) {
    }

    /** The report's predicted table: the model and its rows. */
    public record Table(Model model, List<Predicted> rows) {
    }

    /** The table as summary.json's "predicted" object and 'predict --json' print it: the model, its constants and the rows. */
    public static ObjectNode toJson(Table predicted) {
        ObjectNode pn = PrettyJson.mapper().createObjectNode();
        pn.put("label", "predicted, not measured");
        pn.put("model", predicted.model().describe());
        pn.put("overhead_s_per_token", predicted.model().overheadSeconds());
        pn.put("effective_bandwidth_bytes_per_s", predicted.model().effectiveBandwidth());
        pn.put("fixed_ram_bytes", predicted.model().fixedRamBytes());
        ArrayNode rows = pn.putArray("rows");
        for (Predicted r : predicted.rows()) {
            rows.addObject().put("shape", r.shape()).put("variant", r.variant()).put("file_bytes", r.fileBytes())
                    .put("bytes_per_token", r.bytesPerToken()).put("decode_tps", r.decodeTps())
                    .put("peak_ram_bytes", r.peakRamBytes()).put("roofline_tps", r.rooflineTps());
        }
        return pn;
    }

    private Prediction() {
    }

    /** The predicted table for the report, or null when no cell can carry a fit (no roofline records). */
    public static Table forReport(List<CellResult> cells) {
        if (cells.stream().noneMatch(c -> usable(c) && "cpu".equals(c.backend()))) {
            return null;
        }
        Model m = fit(cells, null, "cpu");
        List<Predicted> rows = builtInTable(m, cells, m.ctx());
        return rows.isEmpty() ? null : new Table(m, rows);
    }

    /** Cells a model can be fitted on: ok, with decode speed and bytes per token. */
    static boolean usable(CellResult c) {
        return c.ok() && c.metric("decode_tps") != null && c.metric("decode_tps").mean() > 0 && Roofline.bytesPerToken(c) != null;
    }

    /**
     * Fits the model to the usable cells of one machine and backend (the machine with the most such
     * cells when {@code machine} is null), cells at the most common thread count.
     */
    public static Model fit(List<CellResult> cells, String machine, String backend) {
        List<CellResult> usable = cells.stream().filter(Prediction::usable)
                .filter(c -> backend == null || backend.equals(c.backend())).toList();
        if (usable.isEmpty()) {
            throw new BadInputException("no measured cell with decode speed and bytes per token to fit a prediction on"
                    + (backend == null ? "" : " (backend " + backend + ")") + "; run 'minillm bench' first");
        }
        String m = machine != null ? machine : mostCommon(usable, CellResult::machineKey);
        List<CellResult> same = usable.stream().filter(c -> c.machineKey().equals(m)).toList();
        if (same.isEmpty()) {
            throw new BadInputException("no usable cell measured on " + m);
        }
        String threads = mostCommon(same, c -> (c.settings() == null ? "?" : String.valueOf(c.settings().threads())));
        List<CellResult> fitOn = same.stream().filter(c -> (c.settings() == null ? "?" : String.valueOf(c.settings().threads())).equals(threads))
                .sorted(Comparator.comparing(CellResult::displayId)).toList();
        int n = fitOn.size();
        double[] x = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Roofline.bytesPerToken(fitOn.get(i));
            t[i] = 1.0 / fitOn.get(i).metric("decode_tps").mean();
        }
        double a = 0;
        double b;
        // weighted least squares, weight 1/t²: minimises the relative error of every cell alike
        double sw = 0, swx = 0, swxx = 0, swt = 0, swxt = 0;
        for (int i = 0; i < n; i++) {
            double w = 1.0 / (t[i] * t[i]);
            sw += w;
            swx += w * x[i];
            swxx += w * x[i] * x[i];
            swt += w * t[i];
            swxt += w * x[i] * t[i];
        }
        double det = sw * swxx - swx * swx;
        if (n >= 2 && det > 1e-12 * sw * swxx) {
            a = (swxx * swt - swx * swxt) / det;
            b = (sw * swxt - swx * swt) / det;
        } else {
            a = -1;
            b = -1;
        }
        if (a < 0 || b < 0) {
            // neither an overhead nor a cost per byte can be negative: the better of the two one-parameter fits
            double bOnly = swxt / swxx;
            double aOnly = swt / sw;
            if (sse(x, t, 0, bOnly) <= sse(x, t, aOnly, 0) || n < 2) {
                a = 0;
                b = bOnly;
            } else {
                a = aOnly;
                b = 0;
            }
        }
        double maxResidual = 0;
        for (int i = 0; i < n; i++) {
            maxResidual = Math.max(maxResidual, Math.abs((a + b * x[i]) / t[i] - 1));
        }
        double fixedSum = 0;
        int fixedN = 0;
        double depthSum = 0;
        for (CellResult c : fitOn) {
            Stat peak = c.metric("peak_rss_bytes");
            Long size = c.modelInfo() == null ? null : c.modelInfo().fileSizeBytes();
            if (peak != null && size != null) {
                fixedSum += peak.mean() - size - kvBytes(c);
                fixedN++;
            }
            Double d = Roofline.meanDepth(c);
            depthSum += d == null ? 0 : d;
        }
        int ctx;
        try {
            ctx = Integer.parseInt(mostCommon(fitOn, c -> (c.settings() == null ? String.valueOf(FALLBACK_CTX) : String.valueOf(c.settings().ctx()))));
        } catch (NumberFormatException e) {
            ctx = FALLBACK_CTX;
        }
        Double bw = fitOn.stream().map(Roofline::bandwidth).filter(Objects::nonNull).max(Double::compare).orElse(null);
        String label = fitOn.get(0).hardware() == null ? m
                : Objects.requireNonNullElse(fitOn.get(0).hardware().hostname(), m) + ", " + threads + " thread(s)";
        return new Model(label, fitOn.get(0).backend(), n, fitOn.stream().map(c -> c.model() + " " + c.variant()).toList(), a, b,
                fixedN == 0 ? 0 : fixedSum / fixedN, depthSum / n, ctx, bw, maxResidual);
    }

    /** Sum of squared relative errors of t = a + b x. */
    private static double sse(double[] x, double[] t, double a, double b) {
        double e = 0;
        for (int i = 0; i < x.length; i++) {
            double r = (a + b * x[i]) / t[i] - 1;
            e += r * r;
        }
        return e;
    }

    /** KV cache bytes the cell's context allocates (ctx × bytes per position), 0 when unknown. */
    private static double kvBytes(CellResult c) {
        Long perPosition = c.modelInfo() == null ? null : c.modelInfo().kvBytesPerPosition();
        String ctx = c.settings() == null ? null : String.valueOf(c.settings().ctx());
        try {
            return perPosition == null || ctx == null ? 0 : perPosition * Double.parseDouble(ctx);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Predicts a shape × mix; {@code depth} null: the fitted cells' depth; {@code ctx}: the context allocated. */
    public static Predicted predict(Model model, ModelShape shape, QuantType quant, Double depth, Integer ctx) {
        PlannedModel p = PlannedModel.of(shape, quant);
        double bytes = p.traffic().bytesPerToken(depth == null ? model.depth() : depth);
        double ram = model.fixedRamBytes() + p.tensorBytes() + p.traffic().kvBytes(ctx == null ? model.ctx() : ctx);
        Double roof = model.measuredBandwidth() == null ? null : model.measuredBandwidth() / bytes;
        return new Predicted(shape.id(), quant.label(), bytes, model.predictTps(bytes), ram, roof, p.tensorBytes());
    }

    /** Predicts a GGUF file that was not run (its tensor sizes and attention geometry from the header). */
    public static Predicted predict(Model model, java.nio.file.Path gguf, Double depth, Integer ctx) {
        dev.minillm.gguf.GgufFile f = dev.minillm.gguf.GgufFile.openValidated(gguf);
        dev.minillm.gguf.DecodeTraffic traffic = dev.minillm.gguf.DecodeTraffic.of(f, dev.minillm.gguf.GgmlType.F16,
                dev.minillm.gguf.GgmlType.F16);
        double bytes = traffic.bytesPerToken(depth == null ? model.depth() : depth);
        long tensorBytes = f.info().tensorDataBytes();
        double ram = model.fixedRamBytes() + f.fileSize() + traffic.kvBytes(ctx == null ? model.ctx() : ctx);
        Double roof = model.measuredBandwidth() == null ? null : model.measuredBandwidth() / bytes;
        String variant = Objects.requireNonNullElse(f.info().fileTypeOrDominant(), "?");
        return new Predicted(gguf.getFileName().toString(), variant, bytes, model.predictTps(bytes), ram, roof, tensorBytes);
    }

    /** The built-in shapes × the usual variants, less what was measured (same model name and variant). */
    public static List<Predicted> builtInTable(Model model, List<CellResult> measured, int ctx) {
        List<Predicted> out = new ArrayList<>();
        for (ModelShape s : ModelShape.all()) {
            for (QuantType q : List.of(QuantType.F16, QuantType.Q8_0, QuantType.Q5_K_M, QuantType.Q4_K_M)) {
                boolean ran = measured.stream().anyMatch(c -> c.ok() && s.id().equals(c.model()) && q.label().equalsIgnoreCase(c.variant()));
                if (!ran) {
                    out.add(predict(model, s, q, null, ctx));
                }
            }
        }
        return out;
    }

    /** Markdown rows of a predicted table, every figure labelled. */
    public static String markdown(Model model, List<Predicted> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| Shape | Variant | Size (MiB) | Bytes per token (MiB) | Decode tok/s (predicted) | Peak RAM MiB (predicted) |")
                .append(model.measuredBandwidth() == null ? "" : " Roofline tok/s |").append('\n');
        md.append("|---|---|---:|---:|---:|---:|").append(model.measuredBandwidth() == null ? "" : "---:|").append('\n');
        for (Predicted p : rows) {
            md.append("| ").append(p.shape()).append(" | ").append(p.variant()).append(" | ")
                    .append(num(p.fileBytes() / MIB)).append(" | ").append(num(p.bytesPerToken() / MIB)).append(" | ")
                    .append(num(p.decodeTps())).append(" predicted | ").append(num(p.peakRamBytes() / MIB)).append(" predicted |");
            if (model.measuredBandwidth() != null) {
                md.append(' ').append(num(p.rooflineTps())).append(" |");
            }
            md.append('\n');
        }
        md.append("\nPredicted, not measured. Model: ").append(model.describe()).append(".\n");
        return md.toString();
    }

    static String num(double v) {
        return Figure.fixed(v, Figure.decimals(v));
    }

    private static String mostCommon(List<CellResult> cells, java.util.function.Function<CellResult, String> key) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        cells.forEach(c -> counts.merge(key.apply(c), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
