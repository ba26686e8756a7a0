package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.engine.Session;
import dev.minillm.metrics.WithinNoise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Scores a multiple-choice task on one model: the sample, the log-likelihoods, acc / acc_norm. */
public final class ChoiceEval {
    private ChoiceEval() {
    }

    /** The data of one task as read from its file. */
    public record TaskData(ChoiceTask task, List<ChoiceItem> items, String source, String sha256) {
    }

    /** Which items to score: every item, a seeded random sample of {@code limit}, or named ids. */
    public record Sample(int limit, long seed, List<String> ids) {
        public static Sample all() {
            return new Sample(0, 0, null);
        }
    }

    /** Scores the selected items with the choices batched over their shared prefix. */
    public static TaskAccuracy run(Session session, TaskData data, Sample sample, List<ItemScore> details) {
        return run(session, data, sample, details, true);
    }

    /** Per-item outcome, kept for tests and audits of single items. */
    public record ItemScore(String id, double[] logLikelihoods, int gold, int pred, int predNorm) {
    }

    /**
     * Reads a task's data: {@code file} (JSON lines, or the release's zip), else where
     * {@code minillm download --dataset} puts it under {@code modelsDir}. PIQA's labels come from
     * {@code labels}, else from the zip, else from {@code <stem>-labels.lst} beside the JSON lines.
     */
    public static TaskData load(ChoiceTask task, Path file, Path labels, Path modelsDir) {
        Path data = file != null ? file : task.defaultFile(modelsDir);
        if (!Files.isRegularFile(data)) {
            throw new BadInputException(data + ": no such file (" + task.cliName + " data; fetch it with "
                    + "'minillm download --dataset " + task.datasetId + "', or pass --data FILE)");
        }
        byte[] bytes;
        byte[] labelBytes = null;
        String source;
        if (data.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            String member = task.member != null ? task.member : task.fileName;
            try (ZipFile zip = new ZipFile(data.toFile())) {
                ZipEntry e = member(zip, member, data);
                bytes = zip.getInputStream(e).readAllBytes();
                source = data + "!" + e.getName();
                if (task.labelsMember != null && labels == null) {
                    labelBytes = zip.getInputStream(member(zip, task.labelsMember, data)).readAllBytes();
                }
            } catch (java.util.zip.ZipException e) {
                throw new BadInputException(data + ": not a readable zip (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new BadInputException(data + ": cannot read: " + e.getMessage());
            }
        } else {
            bytes = read(data);
            source = data.toString();
            if (task.labelsMember != null && labels == null) {
                String stem = data.getFileName().toString().replaceFirst("\\.jsonl?$", "");
                Path sibling = data.resolveSibling(stem + "-labels.lst");
                if (Files.isRegularFile(sibling)) {
                    labelBytes = read(sibling);
                }
            }
        }
        if (labels != null) {
            labelBytes = read(labels);
        }
        List<Integer> labelList = labelBytes == null ? null : labels(utf8(labelBytes, String.valueOf(labels)), String.valueOf(labels));
        return new TaskData(task, task.parse(utf8(bytes, source), source, labelList), source, BaselineRecord.sha256(bytes));
    }

    /** The member named {@code name}, or the one whose path ends in "/" + name (release zips nest a folder). */
    private static ZipEntry member(ZipFile zip, String name, Path where) {
        ZipEntry exact = zip.getEntry(name);
        if (exact != null && !exact.isDirectory()) {
            return exact;
        }
        List<? extends ZipEntry> hits = zip.stream().filter(e -> !e.isDirectory() && e.getName().endsWith("/" + name)
                && !e.getName().startsWith("__MACOSX/")).toList();
        if (hits.size() != 1) {
            throw new BadInputException(where + ": " + (hits.isEmpty() ? "has no member " : "has several members named ") + name);
        }
        return hits.get(0);
    }

    private static List<Integer> labels(String text, String source) {
        List<Integer> out = new ArrayList<>();
        String[] lines = text.split("\\r?\\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(l));
            } catch (NumberFormatException e) {
                throw new BadInputException(source + " line " + (i + 1) + ": not a label number: '" + l + "'");
            }
        }
        return out;
    }

    private static String utf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadInputException(source + ": not UTF-8 text");
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException(p + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot read: " + e.getMessage());
        }
    }

    /** The items of {@code data} that {@code sample} names, in file order. */
    public static List<ChoiceItem> select(TaskData data, Sample sample) {
        List<ChoiceItem> all = data.items();
        if (sample.ids() != null) {
            Map<String, ChoiceItem> byId = new LinkedHashMap<>();
            for (ChoiceItem it : all) {
                byId.put(it.id(), it);
            }
            List<ChoiceItem> out = new ArrayList<>();
            java.util.Set<String> wanted = new java.util.HashSet<>(sample.ids());
            for (String id : sample.ids()) {
                if (!byId.containsKey(id)) {
                    throw new BadInputException(data.source() + ": no item with id '" + id + "' (" + data.task().cliName + ")");
                }
            }
            for (ChoiceItem it : all) {
                if (wanted.contains(it.id())) {
                    out.add(it);
                }
            }
            return out;
        }
        if (sample.limit() <= 0 || sample.limit() >= all.size()) {
            return all;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(sample.seed()));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, sample.limit()));
        Collections.sort(chosen);
        return chosen.stream().map(all::get).toList();
    }

    /** Scores the selected items ({@code batched} false: one pass per choice); progress (items/s, ETA) on stderr. */
    public static TaskAccuracy run(Session session, TaskData data, Sample sample, List<ItemScore> details, boolean batched) {
        List<ChoiceItem> items = select(data, sample);
        int correct = 0;
        int correctNorm = 0;
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Progress bar = Progress.start(data.task().cliName, items.size(), "items")) {
            for (ChoiceItem it : items) {
                double[] ll = ChoiceScorer.logLikelihoods(session, it, batched);
                ItemScore s = score(it, ll);
                if (s.pred() == it.gold()) {
                    correct++;
                }
                if (s.predNorm() == it.gold()) {
                    correctNorm++;
                }
                if (details != null) {
                    details.add(s);
                }
                ids.add(it.id());
                bar.stepBy(1);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                bar.phase(String.format(java.util.Locale.ROOT, "%.2f items/s", ids.size() / Math.max(elapsed, 1e-9)));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return result(data, sample, items.size(), correct, correctNorm, seconds, ids);
    }

    /** acc picks the highest log-likelihood, acc_norm the highest per character of the choice (first wins ties, as numpy's argmax). */
    static ItemScore score(ChoiceItem it, double[] ll) {
        int pred = 0;
        int predNorm = 0;
        double bestNorm = ll[0] / Math.max(1, length(it.choiceTexts().get(0)));
        for (int i = 1; i < ll.length; i++) {
            if (ll[i] > ll[pred]) {
                pred = i;
            }
            double norm = ll[i] / Math.max(1, length(it.choiceTexts().get(i)));
            if (norm > bestNorm) {
                bestNorm = norm;
                predNorm = i;
            }
        }
        return new ItemScore(it.id(), ll, it.gold(), pred, predNorm);
    }

    /** Length in characters (code points), what Python's len() counts. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static TaskAccuracy result(TaskData data, Sample sample, int n, int correct, int correctNorm, double seconds,
                               List<String> ids) {
        ChoiceTask t = data.task();
        boolean seeded = sample.ids() == null && sample.limit() > 0 && sample.limit() < data.items().size();
        return new TaskAccuracy(t.cliName, 0, n, n > 0 ? (double) correct / n : Double.NaN,
                finite(WithinNoise.proportionStderr(correct, n)),
                t.hasAccNorm ? (Double) (n > 0 ? (double) correctNorm / n : Double.NaN) : null,
                t.hasAccNorm ? finite(WithinNoise.proportionStderr(correctNorm, n)) : null,
                t.format, data.source(), data.sha256(), data.items().size(), sample.ids() != null ? ids.size() : sample.limit(),
                seeded ? sample.seed() : null, seconds, seconds > 0 ? n / seconds : 0, List.copyOf(ids));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
