package dev.minillm.engine.gpu;

/**
 * Bytes llama.cpp allocated in one ggml buffer type for a loaded model and its context (from
 * ggml's backend buffers, via llama.cpp's memory breakdown).
 *
 * @param device        the ggml device the buffer type belongs to (CPU for CPU and CPU_Mapped)
 * @param deviceType    that device's type (cpu | gpu | igpu | accel)
 * @param host          whether the buffer is in host memory (true for CPU buffers, and for unified memory)
 * @param contextBytes  the context's memory: the KV cache
 * @param computeBytes  temporary compute buffers
 */
public record GpuBuffer(String bufferType, String device, String deviceType, boolean host, long modelBytes,
                        long contextBytes, long computeBytes) {

    /**
     * On a device other than the CPU (a GPU's own memory, a unified-memory GPU, an RPC server); a
     * backend's pinned host staging buffer ("CUDA_Host", "Vulkan_Host") is host memory.
     */
    public boolean offloaded() {
        boolean staging = host && bufferType != null && bufferType.endsWith("_Host");
        return deviceType != null && !"cpu".equals(deviceType) && !"accel".equals(deviceType) && !staging;
    }
}
