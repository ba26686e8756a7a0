package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.engine.ChatTemplate;
import dev.minillm.gguf.GgufFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticAndFormatTest {
    @TempDir
    Path dir;

    @Test
    void syntheticWeightsGetTheSchemaNote() throws Exception {
        Path synth = TestModels.flaggedSynthetic(dir);
        assertTrue(GgufFile.open(synth).isSynthetic());
        assertFalse(GgufFile.open(TestModels.STORIES).isSynthetic());
        QualityResult r = QualityRunner.run(synth, TestModels.STORIES, EvalTestSupport.options(null, dir));
        assertEquals("{\"synthetic\":true,\"note\":\"synthetic weights: quality n/a\"}",
                new ObjectMapper().writeValueAsString(r));
    }

    @Test
    void baselineIsF16ElseTheMostPreciseRealVariant() throws Exception {
        Path synth = TestModels.flaggedSynthetic(dir);
        assertEquals(TestModels.STORIES, BaselineChoice.pick(List.of(synth, TestModels.STORIES)), "synthetic never wins");
        assertNull(BaselineChoice.pick(List.of(synth)));
        assertTrue(BaselineChoice.rank("F16") < BaselineChoice.rank("F32"));
        assertTrue(BaselineChoice.rank("F32") < BaselineChoice.rank("Q8_0"));
        assertTrue(BaselineChoice.rank("Q8_0") < BaselineChoice.rank("Q4_K_M"));
        assertTrue(BaselineChoice.rank("Q4_K_M") < BaselineChoice.rank("Q4_0"));
        assertTrue(BaselineChoice.rank("Q2_K") < BaselineChoice.rank(null));
    }

    @Test
    void qualityBlockUsesTheSchemaFieldNames() throws Exception {
        QualityResult r = new QualityResult(false, null, "F16",
                new QualityResult.Ppl(9.8, 0.12, 4096, 512, "prompts/eval.txt", 16, 2.28),
                new QualityResult.Kld(0.012, 0.15, 0.97, 0.05, 0.001, 0.9, 9.75, 32, 4096),
                new QualityResult.Greedy(1.0, 31.2, 5, 32, 0.8, "prompts/prompts.txt"),
                new QualityResult.Hallucination(30, 20, 6, 4, 0.667, 0.231, "chat", "note",
                        List.of(new QualityResult.Answer("q", "Q?", "A", "correct", "why", null)), null),
                List.of(new QualityResult.FreeForm("inflation-exam", "p", "a", "chat")), 1234.0, null, null,
                new QualityResult.KvCache("q8_0", "q8_0", true, 5440.0, 10240.0));
        ObjectMapper m = new ObjectMapper();
        JsonNode n = m.readTree(m.writeValueAsString(r));
        for (String f : List.of("synthetic", "baseline_variant", "ppl", "kld", "greedy", "hallucination", "free_form", "eval_tps")) {
            assertTrue(n.has(f), f);
        }
        assertFalse(n.has("note"), "null parts are left out");
        for (String f : List.of("value", "stderr", "tokens_scored", "ctx", "text")) {
            assertTrue(n.get("ppl").has(f), f);
        }
        for (String f : List.of("mean", "p99", "top1_agreement", "delta_ppl")) {
            assertTrue(n.get("kld").has(f), f);
        }
        for (String f : List.of("first_token_match", "mean_prefix_len", "prompts")) {
            assertTrue(n.get("greedy").has(f), f);
        }
        for (String f : List.of("questions", "correct", "wrong", "no_answer", "accuracy", "hallucination_rate", "answers")) {
            assertTrue(n.get("hallucination").has(f), f);
        }
        assertTrue(n.get("free_form").get(0).has("prompt") && n.get("free_form").get(0).has("answer"));
        assertEquals(r, m.readValue(m.writeValueAsString(r), QualityResult.class), "the block reads back (bench, report)");
        QualityResult.Hallucination none = new QualityResult.Hallucination(3, 0, 0, 3, 0, null, "chat", "n", List.of(), null);
        assertTrue(m.readTree(m.writeValueAsString(none)).get("hallucination_rate").isNull(),
                "an undefined rate is written as null, not dropped");
    }

    @Test
    void chatTemplatesAreAppliedByLlamaCpp() {
        String chatml = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";
        String out = ChatTemplate.apply(chatml, List.of(new ChatTemplate.Message("user", "What is 2+2?")), true);
        assertEquals("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", out);
        assertNull(ChatTemplate.apply("{{ something_unknown }}", List.of(new ChatTemplate.Message("user", "hi")), true));
    }
}
