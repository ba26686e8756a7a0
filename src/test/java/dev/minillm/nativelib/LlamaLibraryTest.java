package dev.minillm.nativelib;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class LlamaLibraryTest {
    @Test
    void loadsAndVerifiesLayout() {
        LlamaLibrary.load();
        String info = LlamaLibrary.llama_print_system_info();
        assertTrue(info.contains("CPU"), info);
        assertTrue(LlamaLibrary.ggml_backend_dev_count() >= 1);
    }
}
