package dev.minillm.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnginesTest {
    @Test
    void engineListsAreCheckedBeforeAnythingLoads(@TempDir Path dir) {
        assertEquals(List.of("bundled"), Engines.parseList(null));
        assertEquals(List.of("bundled", "native"), Engines.parseList("bundled, native,bundled"));
        assertEquals(List.of(dir.toString()), Engines.parseList(dir.toString()));
        BadInputException e = assertThrows(BadInputException.class, () -> Engines.parseList("bundled,cuda"));
        assertEquals("--engine cuda: not 'bundled', 'native' or an existing native build folder", e.getMessage());
        assertThrows(BadInputException.class, () -> Engines.parseList("bundled,,native"));
    }

    @Test
    void idSegmentsNameTheColumn() {
        assertEquals("bundled", Engines.idSegment(null));
        assertEquals("bundled", Engines.idSegment("bundled"));
        assertEquals("native", Engines.idSegment("native"));
        assertEquals("native-cuda_build", Engines.idSegment("/opt/x/cuda build"));
    }

    @Test
    void cpuVariantIsTheHighestLevelLlamaCppReports() {
        assertEquals("AVX512_VNNI", EngineIdentity.cpuVariantOf(
                "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 1 | AVX512_VNNI = 1 | OPENMP = 1 |"));
        assertEquals("AVX2", EngineIdentity.cpuVariantOf("CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 0 | LLAMAFILE = 1 |"));
        assertEquals("NEON", EngineIdentity.cpuVariantOf("CPU : NEON = 1 | ARM_FMA = 1 |"));
        assertEquals("generic", EngineIdentity.cpuVariantOf("CPU : LLAMAFILE = 1 |"));
    }
}
