package dev.minillm.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.RunFailedException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.LlamaSession;
import dev.minillm.engine.ModelFacts;
import dev.minillm.engine.SpeculativeDecoder;
import dev.minillm.metrics.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a speculative-decoding cell in the child JVM: target and draft are loaded once, then
 * each repetition decodes every prompt twice, target-only greedy and speculative, in alternating
 * order so neither always runs on a warmer machine. Both yield the same token count; the
 * speculative tokens must equal the target-only ones in every generation, else the cell fails.
 */
final class SpeculativeCell {
    /** Why llama.cpp's own speculative figure is not beside ours (stored in every cell). */
    static final String LLAMA_CPP_PATH = "not measured: the bundled llama.cpp b4916 library exports its speculative "
            + "helpers (common_speculative_*) only as C++ symbols, not through the C API the engine uses";

    /** Figures of one repetition, summed over its prompts. */
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
    }

    private SpeculativeCell() {
    }

    static ObjectNode run(CellSpec spec, EngineSettings settings, ObjectNode doc) {
        SpeculativeSpec sp = spec.speculative();
        Path model = Path.of(spec.modelPath());
        Path draftModel = Path.of(sp.draftPath());
        int k = sp.draftMax();
        int prompts = spec.prompts().size();
        List<Map<String, Double>> reps = new ArrayList<>();
        long[] proposedByPrompt = new long[prompts];
        long[] acceptedByPrompt = new long[prompts];
        long[] lengthHistogram = new long[k + 1];
        int checked = 0;
        ModelFacts facts;
        ModelFacts draftFacts;
        StatusChannel.phase("load target and draft");
        try (LlamaSession target = LlamaSession.open(model, settings);
             LlamaSession draft = LlamaSession.open(draftModel, settings)) {
            facts = target.facts();
            draftFacts = draft.facts();
            if (draft.vocabularySize() != target.vocabularySize()) {
                throw new RunFailedException(draftModel + ": llama.cpp reads " + draft.vocabularySize() + " tokens, the target "
                        + target.vocabularySize() + "; a draft must share the target's vocabulary");
            }
            int[][] tokens = CellExecutor.tokenizeAll(target, spec);
            int total = spec.warmup() + spec.repetitions();
            for (int i = 0; i < total; i++) {
                boolean measured = i >= spec.warmup();
                StatusChannel.phase((measured ? "rep " + (i - spec.warmup() + 1) + "/" + spec.repetitions()
                        : "warmup " + (i + 1) + "/" + spec.warmup()) + " K=" + k);
                Totals t = new Totals();
                for (int p = 0; p < prompts; p++) {
                    GenerationTiming ref;
                    SpeculativeDecoder.Result res;
                    if ((i + p) % 2 == 0) {
                        ref = target.generateGreedy(tokens[p], spec.nPredict(), true);
                        res = SpeculativeDecoder.generate(target, draft, tokens[p], spec.nPredict(), k);
                    } else {
                        res = SpeculativeDecoder.generate(target, draft, tokens[p], spec.nPredict(), k);
                        ref = target.generateGreedy(tokens[p], spec.nPredict(), true);
                    }
                    requireIdentical(ref.tokens(), res.tokens(), p, sp);
                    checked++;
                    t.targetNanos += ref.totalNanos();
                    t.specNanos += res.totalNanos();
                    t.targetDecodeNanos += ref.totalNanos() - ref.ttftNanos();
                    t.specDecodeNanos += res.totalNanos() - res.promptNanos();
                    t.decodeTokens += res.tokens().length - 1;
                    t.tokens += res.tokens().length;
                    t.draftNanos += res.draftNanos();
                    t.verifyNanos += res.verifyNanos();
                    t.steps += res.steps();
                    t.proposed += res.proposed();
                    t.accepted += res.accepted();
                    if (measured) {
                        proposedByPrompt[p] += res.proposed();
                        acceptedByPrompt[p] += res.accepted();
                    }
                    for (int j = 0; j < res.steps(); j++) {
                        if (res.proposedByStep()[j] > 0) {
                            t.proposingSteps++;
                            if (measured) {
                                lengthHistogram[res.acceptedByStep()[j]]++;
                            }
                        }
                    }
                }
                if (measured) {
                    reps.add(figures(t));
                }
            }
        }
        StatusChannel.phase("write");
        CellExecutor.putModelInfo(doc.putObject("model_info"), spec, model, facts);
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
        ObjectNode s = doc.putObject("speculative");
        s.put("method", "greedy draft of up to K tokens, one batched target check of K+1 positions, longest agreeing "
                + "prefix kept plus the target's own token, both KV caches cut back (llama_kv_self_seq_rm)");
        s.put("draft_model", sp.draftPath());
        s.put("draft_label", sp.draftLabel());
        s.put("draft_variant", sp.draftVariant());
        s.put("draft_max", k);
        s.put("draft_n_params", draftFacts.parameterCount());
        s.put("draft_tensor_bytes", draftFacts.tensorBytes());
        s.put("identical_to_target", true);
        s.put("generations_checked", checked);
        ArrayNode perPrompt = s.putArray("per_prompt");
        for (int p = 0; p < prompts; p++) {
            ObjectNode o = perPrompt.addObject();
            o.put("prompt", p + 1);
            o.put("proposed", proposedByPrompt[p]);
            o.put("accepted", acceptedByPrompt[p]);
            CellJson.num(o, "accept_rate", proposedByPrompt[p] > 0 ? (double) acceptedByPrompt[p] / proposedByPrompt[p] : Double.NaN);
        }
        ArrayNode hist = s.putArray("accepted_length_histogram");
        for (long h : lengthHistogram) {
            hist.add(h);
        }
        s.put("llama_cpp", LLAMA_CPP_PATH);
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

    private static void requireIdentical(int[] ref, int[] spec, int prompt, SpeculativeSpec sp) {
        int n = Math.min(ref.length, spec.length);
        for (int i = 0; i < n; i++) {
            if (ref[i] != spec[i]) {
                throw new RunFailedException("speculative decoding with draft " + sp.draftLabel() + " (K=" + sp.draftMax()
                        + ") produced token " + spec[i] + " where target-only greedy produced " + ref[i] + " (prompt "
                        + (prompt + 1) + ", generated token " + (i + 1) + "): the outputs must be identical");
            }
        }
        if (ref.length != spec.length) {
            throw new RunFailedException("speculative decoding produced " + spec.length + " tokens, target-only " + ref.length
                    + " (prompt " + (prompt + 1) + ")");
        }
    }
}
