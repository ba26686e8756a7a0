package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.LlamaSession;
import dev.minillm.metrics.Stats;
import dev.minillm.metrics.WithinNoise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multiple-choice scoring on the real stories260K model, checked against direct log-prob sums. */
class ChoiceTaskTest {
    static LlamaSession session;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        session = LlamaSession.open(TestModels.STORIES, new EngineSettings(1, 512, 64, 0, false), ChoiceScorer.MAX_CHOICES);
    }

    @AfterAll
    static void close() {
        session.close();
    }

    /** log P(continuation | context) by the definition: one sequence, every position's logits, log-softmax in double. */
    static double direct(String context, String continuation) {
        int[] whole = session.tokenize(context + continuation, true, false);
        int nCtx = session.tokenize(context, true, false).length;
        assertTrue(nCtx < whole.length, "the continuation has tokens of its own");
        session.clearCache();
        boolean[] all = new boolean[whole.length];
        Arrays.fill(all, true);
        assertTrue(whole.length <= session.batchCapacity(), "one chunk, so every logit is readable");
        session.forward(whole, 0, all);
        double sum = 0;
        for (int pos = nCtx; pos < whole.length; pos++) {
            double[] lp = LogProbs.logSoftmax(session.logits(pos - 1));
            sum += lp[whole[pos]];
        }
        return sum;
    }

    @Test
    void batchedChoiceLogLikelihoodsEqualSumsOfTokenLogProbsFromLogits() {
        String ctx = "Once upon a time, there was a little girl named";
        List<String> choices = List.of("Lily", "Tom", "a big red ball that liked to jump", "sun");
        ChoiceItem item = ChoiceItem.shared("x", ctx, choices, 0);
        double[] batched = ChoiceScorer.logLikelihoods(session, item);
        for (int i = 0; i < choices.size(); i++) {
            double d = direct(ctx, " " + choices.get(i));
            assertEquals(d, batched[i], 1e-3, "choice " + i);
            assertTrue(d < -0.01, "a real log-likelihood, not 0: " + d);
        }
        assertArrayEquals(batched, ChoiceScorer.logLikelihoods(session, item, false), 1e-3, "the unbatched reference agrees");
        // Longer continuations cost more: the long choice is far less likely than a name.
        assertTrue(batched[2] < batched[0] - 5, Arrays.toString(batched));

        // WinoGrande's partial scoring: the contexts differ, the scored continuation is shared.
        List<String> contexts = List.of("Lily gave the ball to Tom because Lily", "Lily gave the ball to Tom because Tom");
        ChoiceItem wino = new ChoiceItem("w", contexts, List.of(" was kind.", " was kind."), contexts, 0);
        double[] w = ChoiceScorer.logLikelihoods(session, wino);
        for (int i = 0; i < 2; i++) {
            assertEquals(direct(contexts.get(i), " was kind."), w[i], 1e-3, "partial choice " + i);
        }
        assertNotEquals(w[0], w[1], "the option changes the continuation's likelihood");
    }

    @Test
    void accAndAccNormPickTheRawAndTheLengthNormalisedBest() {
        // Raw: choice 0 (-2 > -3). Per character: -2/1 = -2 vs -3/18 = -0.17, so choice 1.
        ChoiceItem it = ChoiceItem.shared("n", "Q", List.of("a", "much longer answer"), 1);
        ChoiceEval.ItemScore s = ChoiceEval.score(it, new double[] {-2, -3});
        assertEquals(0, s.pred());
        assertEquals(1, s.predNorm());
        // Ties go to the first choice, as numpy's argmax.
        ChoiceEval.ItemScore tie = ChoiceEval.score(ChoiceItem.shared("t", "Q", List.of("ab", "cd"), 1), new double[] {-1, -1});
        assertEquals(0, tie.pred());
        assertEquals(0, tie.predNorm());
    }

    @Test
    void stderrIsTheSampleStddevOverSqrtN() {
        assertEquals(0.25, WithinNoise.proportionStderr(3, 4), 1e-12); // sqrt(0.75 * 0.25 / 3)
        double[] outcomes = {1, 0, 1, 1, 0, 1, 1, 1, 0, 1};
        Stats st = Stats.of(outcomes);
        assertEquals(st.stddev() / Math.sqrt(outcomes.length), WithinNoise.proportionStderr(7, 10), 1e-12);
        assertTrue(Double.isNaN(WithinNoise.proportionStderr(1, 1)));
        // 200 items at 60 %: about 3.5 points, the noise floor the tables mark
        assertEquals(0.0347, WithinNoise.proportionStderr(120, 200), 1e-4);
        assertTrue(WithinNoise.withinNoise(0.60, 0.0347, 0.56, 0.0351));
        assertFalse(WithinNoise.withinNoise(0.60, 0.0347, 0.50, 0.0354));
    }

    /**
     * A fixture in AI2's ARC format where the gold answer is forced: items whose answerKey is the
     * choice the model itself prefers (by the direct computation), and items where it is the one it
     * likes least. acc and acc_norm must come out as the counts predicted from the direct sums.
     */
    @Test
    void accuracyOnAForcedArcFixtureMatchesTheDirectComputation() throws Exception {
        String[][] qs = {
                {"Lily went to the park to", "play", "dance with a big blue whale in the sky", "sleep", "eat"},
                {"The dog was very", "happy", "sad", "purple and made of very small stones", "big"},
                {"Tom saw a", "cat", "bird", "tree", "car that could talk and fly to the moon"},
                {"Mom said, \"Time for", "bed", "lunch", "a bath", "the elephant to read the newspaper\""},
                {"The sun was", "hot", "bright", "shining", "a banana"},
        };
        StringBuilder jsonl = new StringBuilder();
        int expectAcc = 0;
        int expectNorm = 0;
        for (int q = 0; q < qs.length; q++) {
            String context = "Question: " + qs[q][0] + "\nAnswer:";
            double[] ll = new double[4];
            double[] norm = new double[4];
            for (int c = 0; c < 4; c++) {
                ll[c] = direct(context, " " + qs[q][c + 1]);
                norm[c] = ll[c] / qs[q][c + 1].length();
            }
            int best = argmax(ll);
            int worst = argmax(Arrays.stream(ll).map(v -> -v).toArray());
            int gold = q % 2 == 0 ? best : worst; // forced right on even items, wrong on odd ones
            expectAcc += gold == best ? 1 : 0;
            expectNorm += gold == argmax(norm) ? 1 : 0;
            StringBuilder choices = new StringBuilder();
            for (int c = 0; c < 4; c++) {
                choices.append(c > 0 ? "," : "").append("{\"text\":").append(json(qs[q][c + 1])).append(",\"label\":\"")
                        .append((char) ('A' + c)).append("\"}");
            }
            jsonl.append("{\"id\":\"Mercury_").append(q).append("\",\"question\":{\"stem\":").append(json(qs[q][0]))
                    .append(",\"choices\":[").append(choices).append("]},\"answerKey\":\"").append((char) ('A' + gold)).append("\"}\n");
        }
        assertEquals(3, expectAcc, "forced: 3 of 5 right by construction");
        Path file = dir.resolve("ARC-Easy-Test.jsonl");
        Files.writeString(file, jsonl, StandardCharsets.UTF_8);
        ChoiceEval.TaskData data = ChoiceEval.load(ChoiceTask.ARC_EASY, file, null, dir);
        List<ChoiceEval.ItemScore> details = new ArrayList<>();
        TaskAccuracy a = ChoiceEval.run(session, data, ChoiceEval.Sample.all(), details);
        assertEquals(5, a.items());
        assertEquals(expectAcc / 5.0, a.acc(), 1e-12);
        assertEquals(expectNorm / 5.0, a.accNorm(), 1e-12);
        assertEquals(WithinNoise.proportionStderr(expectAcc, 5), a.accStderr(), 1e-12);
        assertEquals(List.of("Mercury_0", "Mercury_1", "Mercury_2", "Mercury_3", "Mercury_4"), a.sampleIds());
        assertEquals(64, a.dataSha256().length());
        assertNull(a.seed(), "every item scored: no sample seed");
        assertTrue(a.itemsPerSecond() > 0);
        assertEquals(0, a.nShot());
    }

    @Test
    void readersFollowTheHarnessPromptFormats() throws Exception {
        // ARC, the Hugging Face copy's field layout
        List<ChoiceItem> arc = ChoiceTask.ARC_CHALLENGE.parse(
                "{\"id\":\"q1\",\"question\":\"Which is a gas?\",\"choices\":{\"text\":[\"ice\",\"steam\"],\"label\":[\"1\",\"2\"]},\"answerKey\":\"2\"}",
                "arc.jsonl", null);
        assertEquals("Question: Which is a gas?\nAnswer:", arc.get(0).contexts().get(0));
        assertEquals(List.of(" ice", " steam"), arc.get(0).continuations());
        assertEquals(1, arc.get(0).gold());

        // HellaSwag: activity label, ctx_a + capitalised ctx_b, WikiHow artifacts removed
        ChoiceItem h = ChoiceTask.HELLASWAG.parse("{\"ind\":24,\"activity_label\":\"Roof shingle removal\",\"ctx_a\":\"A man is sitting on a roof.\","
                + "\"ctx_b\":\"he\",\"endings\":[\"is using wrap to wrap a pair of skis.\",\"starts pulling up roofing on a roof.\","
                + "\"[header] How to x [title] Do it.\",\"is ripping level tiles off.\"],\"label\":\"3\"}", "hs.jsonl", null).get(0);
        assertEquals("24", h.id());
        assertEquals("Roof shingle removal: A man is sitting on a roof. He", h.contexts().get(0));
        assertEquals(" starts pulling up roofing on a roof.", h.continuations().get(1));
        assertEquals(" How to x. Do it.", h.choiceTexts().get(2), "the harness strips before removing brackets");
        assertEquals(3, h.gold());
        assertEquals("He is", ChoiceTask.capitalize("hE IS"));

        // PIQA: labels from the separate file
        Path piqa = dir.resolve("valid.jsonl");
        Files.writeString(piqa, "{\"goal\":\"To open a jar\",\"sol1\":\"twist the lid\",\"sol2\":\"eat the lid\"}\n"
                + "{\"goal\":\"To dry hands\",\"sol1\":\"use water\",\"sol2\":\"use a towel\"}\n");
        Files.writeString(dir.resolve("valid-labels.lst"), "0\n1\n");
        ChoiceEval.TaskData p = ChoiceEval.load(ChoiceTask.PIQA, piqa, null, dir);
        assertEquals("Question: To open a jar\nAnswer:", p.items().get(0).contexts().get(0));
        assertEquals(List.of(0, 1), p.items().stream().map(ChoiceItem::gold).toList());
        assertEquals(List.of("0", "1"), p.items().stream().map(ChoiceItem::id).toList());

        // WinoGrande: the option fills the blank in the context, the rest of the sentence is scored
        ChoiceItem w = ChoiceTask.WINOGRANDE.parse("{\"qID\":\"3D5G-1\",\"sentence\":\"Sarah was a much better surgeon than Maria so _ always got the harder cases.\","
                + "\"option1\":\"Sarah\",\"option2\":\"Maria\",\"answer\":\"1\"}", "wg.jsonl", null).get(0);
        assertEquals(List.of("Sarah was a much better surgeon than Maria so Sarah", "Sarah was a much better surgeon than Maria so Maria"), w.contexts());
        assertEquals(List.of(" always got the harder cases.", " always got the harder cases."), w.continuations());
        assertEquals(0, w.gold());
        assertFalse(ChoiceTask.WINOGRANDE.hasAccNorm);
    }

    /** The downloaded releases are zips with a folder inside; the labels of PIQA are a second member. */
    @Test
    void releaseZipsAreReadInPlace() throws Exception {
        Path zip = dir.resolve("piqa").resolve("physicaliqa-train-dev.zip");
        Files.createDirectories(zip.getParent());
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("physicaliqa-train-dev/train.jsonl"));
            z.write("{\"goal\":\"t\",\"sol1\":\"a\",\"sol2\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new java.util.zip.ZipEntry("physicaliqa-train-dev/dev.jsonl"));
            z.write(("{\"goal\":\"To open a jar\",\"sol1\":\"twist the lid\",\"sol2\":\"eat the lid\"}\n"
                    + "{\"goal\":\"To dry hands\",\"sol1\":\"use water\",\"sol2\":\"use a towel\"}\n").getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new java.util.zip.ZipEntry("physicaliqa-train-dev/dev-labels.lst"));
            z.write("0\n1\n".getBytes(StandardCharsets.UTF_8));
        }
        ChoiceEval.TaskData d = ChoiceEval.load(ChoiceTask.PIQA, null, null, dir);
        assertEquals(2, d.items().size());
        assertEquals(List.of(0, 1), d.items().stream().map(ChoiceItem::gold).toList());
        assertTrue(d.source().endsWith("physicaliqa-train-dev.zip!physicaliqa-train-dev/dev.jsonl"), d.source());
        BadInputException none = assertThrows(BadInputException.class, () -> ChoiceEval.load(ChoiceTask.ARC_EASY, zip, null, dir));
        assertTrue(none.getMessage().contains("has no member ARC-Easy-Test.jsonl"), none.getMessage());
    }

    @Test
    void badDataIsOneLineNamingFileAndLine() throws Exception {
        BadInputException e = assertThrows(BadInputException.class, () -> ChoiceTask.ARC_EASY.parse(
                "{\"id\":\"a\",\"question\":{\"stem\":\"q\",\"choices\":[{\"text\":\"x\",\"label\":\"A\"},{\"text\":\"y\",\"label\":\"B\"}]},\"answerKey\":\"A\"}\n"
                        + "{\"id\":\"b\",\"question\":{\"stem\":\"q\",\"choices\":[{\"text\":\"x\",\"label\":\"A\"},{\"text\":\"y\",\"label\":\"B\"}]},\"answerKey\":\"E\"}",
                "f.jsonl", null));
        assertTrue(e.getMessage().startsWith("f.jsonl line 2: answerKey 'E'"), e.getMessage());
        assertThrows(BadInputException.class, () -> ChoiceTask.HELLASWAG.parse("{not json", "f.jsonl", null));
        BadInputException unlabeled = assertThrows(BadInputException.class, () -> ChoiceTask.PIQA.parse(
                "{\"goal\":\"g\",\"sol1\":\"a\",\"sol2\":\"b\"}", "p.jsonl", null));
        assertTrue(unlabeled.getMessage().contains("--labels"), unlabeled.getMessage());
        BadInputException missing = assertThrows(BadInputException.class,
                () -> ChoiceEval.load(ChoiceTask.HELLASWAG, null, null, dir));
        assertTrue(missing.getMessage().contains("minillm download --dataset hellaswag"), missing.getMessage());
        assertThrows(BadInputException.class, () -> ChoiceTask.parse("mmlu"));
        assertEquals(ChoiceTask.ARC_EASY, ChoiceTask.parse("ARC-Easy"));
    }

    @Test
    void aSeededSampleIsReproducibleAndIdsSelectExactlyThoseItems() {
        List<ChoiceItem> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(ChoiceItem.shared("id" + i, "c", List.of("a", "b"), 0));
        }
        ChoiceEval.TaskData d = new ChoiceEval.TaskData(ChoiceTask.PIQA, items, "mem", "0".repeat(64));
        List<String> a = ChoiceEval.select(d, new ChoiceEval.Sample(10, 42, null)).stream().map(ChoiceItem::id).toList();
        List<String> b = ChoiceEval.select(d, new ChoiceEval.Sample(10, 42, null)).stream().map(ChoiceItem::id).toList();
        List<String> c = ChoiceEval.select(d, new ChoiceEval.Sample(10, 7, null)).stream().map(ChoiceItem::id).toList();
        assertEquals(a, b);
        assertEquals(10, a.size());
        assertNotEquals(a, c);
        assertEquals(a, ChoiceEval.select(d, new ChoiceEval.Sample(0, 0, a)).stream().map(ChoiceItem::id).toList());
        assertEquals(50, ChoiceEval.select(d, new ChoiceEval.Sample(0, 42, null)).size());
        assertThrows(BadInputException.class, () -> ChoiceEval.select(d, new ChoiceEval.Sample(0, 0, List.of("nope"))));
    }

    private static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
