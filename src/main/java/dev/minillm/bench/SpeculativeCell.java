package dev.minillm.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.RunFailedException;
import dev.minillm.engine.Engine;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.ModelFacts;
import dev.minillm.engine.Session;
import dev.minillm.engine.SpeculativeDecoder;
import dev.minillm.metrics.Stats;
import dev.minillm.results.Speculative;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a speculative-decoding cell in the child JVM: target and draft are loaded once on the
 * cell's engine, then each repetition decodes every prompt target-only greedy and speculative
 * (and, where the engine can, with llama.cpp's own speculative decoding too), in rotating order so
 * none always runs on a warmer machine. All yield the same token count; every speculative output
 * must equal the target-only one, else the cell fails.
 */
final class SpeculativeCell {
    static final String METHOD = "greedy draft of up to K tokens, one batched target check of K+1 positions, longest "
            + "agreeing prefix kept plus the target's own token, both KV caches cut back";
    /** The label of llama.cpp's own figure wherever it is shown. */
    static final String LLAMA_CPP_LABEL = "llama.cpp's own speculative (common_speculative)";
    static final String LLAMA_CPP_METHOD = LLAMA_CPP_LABEL + ": common_speculative_draft (draft-simple: the draft "
            + "model's top token, up to K) on the draft context, which also follows every target batch through "
            + "common_speculative_process; greedy check of K+1 positions on the target, both caches cut back";
    /** Prefix of llama.cpp's own figures among the metrics (llama_spec_speedup, ...). */
    static final String LLAMA_PREFIX = "llama_";

    /** Figures of one repetition and one speculative method, summed over its prompts. */
    private static final class Totals {
        long targetNanos;
        long specNanos;
        long targetDecodeNanos;
        long specDecodeNanos;
        long decodeTokens;
        long tokens;
        long draftNanos;
        long verifyNanos;
        int steps;
        int proposingSteps;
        int proposed;
        int accepted;

        void add(GenerationTiming ref, SpeculativeDecoder.Result res) {
            targetNanos += ref.totalNanos();
            specNanos += res.totalNanos();
            targetDecodeNanos += ref.totalNanos() - ref.ttftNanos();
            specDecodeNanos += res.totalNanos() - res.promptNanos();
            decodeTokens += res.tokens().length - 1;
            tokens += res.tokens().length;
            draftNanos += res.draftNanos();
            verifyNanos += res.verifyNanos();
            steps += res.steps();
            proposed += res.proposed();
            accepted += res.accepted();
            for (int j = 0; j < res.steps(); j++) {
                if (res.proposedByStep()[j] > 0) {
                    proposingSteps++;
                }
            }
        }
    }

    private SpeculativeCell() {
    }

    static ObjectNode run(CellSpec spec, Engine engine, EngineSettings settings, ObjectNode doc) {
        SpeculativeSpec sp = spec.speculative();
        Path model = Path.of(spec.modelPath());
        Path draftModel = Path.of(sp.draftPath());
        int k = sp.draftMax();
        int prompts = spec.prompts().size();
        String llamaRefusal = engine.llamaCppSpeculativeRefusal();
        boolean withLlama = llamaRefusal == null;
        List<Map<String, Double>> reps = new ArrayList<>();
        long[] proposedByPrompt = new long[prompts];
        long[] acceptedByPrompt = new long[prompts];
        long[] lengthHistogram = new long[k + 1];
        long llamaProposed = 0;
        long llamaAccepted = 0;
        int checked = 0;
        ModelFacts facts;
        ModelFacts draftFacts;
        StatusChannel.phase("load target and draft");
        try (Session target = engine.open(model, settings);
             Session draft = engine.open(draftModel, settings)) {
            facts = target.facts();
            draftFacts = draft.facts();
            if (draft.vocabularySize() != target.vocabularySize()) {
                throw new RunFailedException(draftModel + ": llama.cpp reads " + draft.vocabularySize() + " tokens, the target "
                        + target.vocabularySize() + "; a draft must share the target's vocabulary");
            }
            int[][] tokens = CellExecutor.tokenizeAll(target, spec);
            int total = spec.warmup() + spec.repetitions();
            int methods = withLlama ? 3 : 2;
            for (int i = 0; i < total; i++) {
                boolean measured = i >= spec.warmup();
                StatusChannel.phase((measured ? "rep " + (i - spec.warmup() + 1) + "/" + spec.repetitions()
                        : "warmup " + (i + 1) + "/" + spec.warmup()) + " K=" + k);
                Totals own = new Totals();
                Totals llama = new Totals();
                for (int p = 0; p < prompts; p++) {
                    GenerationTiming ref = null;
                    SpeculativeDecoder.Result res = null;
                    SpeculativeDecoder.Result lres = null;
                    for (int m = 0; m < methods; m++) {
                        switch ((i + p + m) % methods) {
                            case 0 -> ref = target.generateGreedy(tokens[p], spec.nPredict(), true);
                            case 1 -> res = SpeculativeDecoder.generate(target, draft, tokens[p], spec.nPredict(), k);
                            default -> lres = target.speculativeLlamaCpp(draft, tokens[p], spec.nPredict(), k);
                        }
                    }
                    requireIdentical(ref.tokens(), res.tokens(), p, sp, "speculative decoding");
                    own.add(ref, res);
                    if (lres != null) {
                        requireIdentical(ref.tokens(), lres.tokens(), p, sp, LLAMA_CPP_LABEL);
                        llama.add(ref, lres);
                    }
                    checked++;
                    if (measured) {
                        proposedByPrompt[p] += res.proposed();
                        acceptedByPrompt[p] += res.accepted();
                        for (int j = 0; j < res.steps(); j++) {
                            if (res.proposedByStep()[j] > 0) {
                                lengthHistogram[res.acceptedByStep()[j]]++;
                            }
                        }
                        if (lres != null) {
                            llamaProposed += lres.proposed();
                            llamaAccepted += lres.accepted();
                        }
                    }
                }
                if (measured) {
                    Map<String, Double> rep = figures(own);
                    if (withLlama) {
                        figures(llama).forEach((key, v) -> rep.put(LLAMA_PREFIX + key, v));
                    }
                    reps.add(rep);
                }
            }
        }
        StatusChannel.phase("write");
        doc.set("model_info", CellJson.MAPPER.valueToTree(CellExecutor.modelInfo(spec, model, facts)));
        ObjectNode metrics = doc.putObject("metrics");
        for (String key : reps.get(0).keySet()) {
            metrics.set(key, CellJson.stat(Stats.of(reps.stream().mapToDouble(m -> m.get(key)).filter(Double::isFinite).toArray())));
        }
        doc.put("warmup_discarded", spec.warmup());
        ArrayNode repsJson = doc.putArray("repetitions");
        for (int r = 0; r < reps.size(); r++) {
            ObjectNode o = repsJson.addObject();
            o.put("rep", r + 1);
            reps.get(r).forEach((key, v) -> CellJson.num(o, key, v));
        }
        List<Speculative.PromptAcceptance> perPrompt = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            perPrompt.add(new Speculative.PromptAcceptance(p + 1, proposedByPrompt[p], acceptedByPrompt[p],
                    proposedByPrompt[p] > 0 ? (double) acceptedByPrompt[p] / proposedByPrompt[p] : null));
        }
        Speculative.LlamaCppSpeculative llamaOwn = withLlama
                ? new Speculative.LlamaCppSpeculative(LLAMA_CPP_METHOD, true, checked, llamaProposed, llamaAccepted) : null;
        Speculative record = new Speculative(METHOD, sp.draftPath(), sp.draftLabel(), sp.draftVariant(), k,
                draftFacts.parameterCount(), draftFacts.tensorBytes(), true, checked, perPrompt,
                java.util.Arrays.stream(lengthHistogram).boxed().toList(), llamaRefusal, llamaOwn);
        doc.set("speculative", CellJson.MAPPER.valueToTree(record));
        ObjectNode sample = doc.putObject("sample");
        sample.put("prompt", spec.prompts().get(0));
        return doc;
    }

    private static Map<String, Double> figures(Totals t) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("spec_speedup", t.specNanos > 0 ? (double) t.targetNanos / t.specNanos : Double.NaN);
        m.put("spec_decode_speedup", t.specDecodeNanos > 0 ? (double) t.targetDecodeNanos / t.specDecodeNanos : Double.NaN);
        m.put("spec_accept_rate", t.proposed > 0 ? (double) t.accepted / t.proposed : Double.NaN);
        m.put("spec_mean_accepted", t.proposingSteps > 0 ? (double) t.accepted / t.proposingSteps : Double.NaN);
        m.put("spec_tokens_per_step", t.steps > 0 ? (double) t.decodeTokens / t.steps : Double.NaN);
        m.put("spec_draft_ms_per_step", t.steps > 0 ? t.draftNanos / 1e6 / t.steps : Double.NaN);
        m.put("spec_verify_ms_per_step", t.steps > 0 ? t.verifyNanos / 1e6 / t.steps : Double.NaN);
        m.put("spec_target_tps", t.targetNanos > 0 ? t.tokens * 1e9 / t.targetNanos : Double.NaN);
        m.put("spec_tps", t.specNanos > 0 ? t.tokens * 1e9 / t.specNanos : Double.NaN);
        m.put("spec_target_decode_tps", t.targetDecodeNanos > 0 ? t.decodeTokens * 1e9 / t.targetDecodeNanos : Double.NaN);
        m.put("spec_decode_tps", t.specDecodeNanos > 0 ? t.decodeTokens * 1e9 / t.specDecodeNanos : Double.NaN);
        return m;
    }

    private static void requireIdentical(int[] ref, int[] spec, int prompt, SpeculativeSpec sp, String what) {
        int n = Math.min(ref.length, spec.length);
        for (int i = 0; i < n; i++) {
            if (ref[i] != spec[i]) {
                throw new RunFailedException(what + " with draft " + sp.draftLabel() + " (K=" + sp.draftMax()
                        + ") produced token " + spec[i] + " where target-only greedy produced " + ref[i] + " (prompt "
                        + (prompt + 1) + ", generated token " + (i + 1) + "): the outputs must be identical");
            }
        }
        if (ref.length != spec.length) {
            throw new RunFailedException(what + " produced " + spec.length + " tokens, target-only " + ref.length
                    + " (prompt " + (prompt + 1) + ")");
        }
    }
}
