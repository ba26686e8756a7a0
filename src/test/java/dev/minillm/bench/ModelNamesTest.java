package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelNamesTest {
    @Test
    void variantAndFamilyFromFileNames() {
        assertEquals("Q4_K_M", ModelNames.variantFromFileName(Path.of("m/qwen2.5-0.5b-instruct-q4_k_m.gguf")));
        assertEquals("qwen2.5-0.5b-instruct", ModelNames.familyFromFileName(Path.of("m/qwen2.5-0.5b-instruct-q4_k_m.gguf")));
        assertEquals("Q8_0", ModelNames.variantFromFileName(Path.of("Llama-3.2-1B-Instruct.Q8_0.gguf")));
        assertEquals("Llama-3.2-1B-Instruct", ModelNames.familyFromFileName(Path.of("Llama-3.2-1B-Instruct.Q8_0.gguf")));
        assertEquals("F16", ModelNames.variantFromFileName(Path.of("qwen2.5-0.5b-f16.gguf")));
        assertEquals("IQ4_XS", ModelNames.variantFromFileName(Path.of("phi-3-mini-IQ4_XS.gguf")));
        assertEquals("BF16", ModelNames.variantFromFileName(Path.of("gemma-2b_bf16.gguf")));
        assertNull(ModelNames.variantFromFileName(Path.of("stories260K.gguf")), "no quant in the name");
        assertEquals("stories260K", ModelNames.familyFromFileName(Path.of("stories260K.gguf")));
        assertNull(ModelNames.variantFromFileName(Path.of("xq8_0y.gguf")), "only whole name parts count");
        assertEquals("a_b", ModelNames.safeSegment("a/b"));
        assertEquals("_..", ModelNames.safeSegment(".."));
    }
}
