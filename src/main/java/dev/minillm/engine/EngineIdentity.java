package dev.minillm.engine;

import java.util.List;

/**
 * Which llama.cpp a figure was measured with: recorded in every cell.
 *
 * @param name        "bundled" or "native" (the engine kind)
 * @param location    where the native library was loaded from (null for bundled)
 * @param llamaTag    llama.cpp release (e.g. b4916)
 * @param llamaCommit llama.cpp commit, or null when unknown
 * @param variant     build variant (cpu, cpu-portable, cuda, metal, vulkan, ...)
 * @param backends    ggml backends compiled in and loaded (CPU, RPC, CUDA, ...)
 * @param cpuVariant  the CPU instruction level actually used (e.g. AVX512_VNNI, AVX2)
 * @param devices     backend devices, "name (description, N MiB)"
 * @param gpuDevices  the GPU devices among them
 * @param systemInfo  llama_print_system_info()
 */
public record EngineIdentity(String name, String location, String llamaTag, String llamaCommit, String variant,
                             List<String> backends, String cpuVariant, List<String> devices, List<String> gpuDevices,
                             String systemInfo) {

    /** Short label for tables: "bundled b4916", "native v0.4.0 (cpu)". */
    public String label() {
        return name + " " + llamaTag + ("bundled".equals(name) ? "" : " (" + variant + ")");
    }

    /**
     * The highest CPU instruction level llama.cpp reports in its system info line
     * ("CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 1 | ..."), as the CPU variant in use.
     */
    public static String cpuVariantOf(String systemInfo) {
        if (systemInfo == null) {
            return null;
        }
        String[] levels = {"AMX_INT8", "AVX512_BF16", "AVX512_VNNI", "AVX512", "AVX_VNNI", "AVX2", "AVX", "SSE3",
                "SVE", "NEON"};
        String s = systemInfo.replace(" ", "");
        for (String l : levels) {
            if (s.contains("|" + l + "=1") || s.contains(":" + l + "=1")) {
                return l;
            }
        }
        return "generic";
    }
}
