package dev.minillm.results;

import java.util.List;
import java.util.Objects;

/**
 * The engine that measured a cell: which implementation and which llama.cpp build, what it has
 * compiled in and what it found on the machine. Results of different builds are never reused for
 * each other.
 *
 * @param name           "bundled" (java-llama.cpp's b4916 through JNA) or "native" (the project's own build)
 * @param label          short label for tables: "bundled b4916", "native v0.4.0 (cpu)"
 * @param location       where the native library was loaded from (null for bundled)
 * @param llamaCppTag    llama.cpp release, e.g. b4916
 * @param llamaCppCommit llama.cpp commit, null when unknown
 * @param variant        build variant (cpu, cpu-portable, cuda, metal, vulkan, ...)
 * @param backends       ggml backends compiled in and loaded
 * @param cpuVariant     the CPU instruction level in use (AVX512_VNNI, AVX2, ...)
 * @param devices        backend devices, "name (description, N MiB)"
 * @param gpuDevices     the GPU devices among them
 * @param systemInfo     llama_print_system_info()
 */
public record EngineInfo(String name, String label, String location, String llamaCppTag, String llamaCppCommit,
                         String variant, List<String> backends, String cpuVariant, List<String> devices,
                         List<String> gpuDevices, String systemInfo) {

    public EngineInfo {
        backends = backends == null ? List.of() : List.copyOf(backends);
        devices = devices == null ? List.of() : List.copyOf(devices);
        gpuDevices = gpuDevices == null ? List.of() : List.copyOf(gpuDevices);
    }

    /** Only the engine kind and build are known (results written before engines were recorded in full). */
    public static EngineInfo named(String name, String llamaCppTag) {
        return new EngineInfo(name, llamaCppTag == null ? name : name + " " + llamaCppTag, null, llamaCppTag, null,
                null, List.of(), null, List.of(), List.of(), null);
    }

    /** Same implementation and llama.cpp build: figures of one can stand for the other. */
    public boolean sameBuild(EngineInfo o) {
        return o != null && Objects.equals(name, o.name) && Objects.equals(llamaCppTag, o.llamaCppTag)
                && Objects.equals(llamaCppCommit, o.llamaCppCommit) && Objects.equals(variant, o.variant);
    }
}
