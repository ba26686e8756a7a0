package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void quantAndBackendOptions() {
        assertEquals(Set.of(), BenchCommand.parseQuants("all"));
        assertEquals(List.of("Q4_K_M", "Q5_K_M", "F16"), List.copyOf(BenchCommand.parseQuants("q4_k_m, Q5_K_M,f16")));
        assertThrows(BadInputException.class, () -> BenchCommand.parseQuants("q4 k"));
        assertEquals(Set.of("cpu", "gpu"), BenchCommand.parseBackends("both"));
        assertEquals(Set.of("gpu"), BenchCommand.parseBackends("GPU"));
        assertThrows(BadInputException.class, () -> BenchCommand.parseBackends("npu"));
    }
}
