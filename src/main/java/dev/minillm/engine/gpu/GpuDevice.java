package dev.minillm.engine.gpu;

/**
 * One ggml backend device as llama.cpp saw it just before a gpu cell's model load.
 *
 * @param type     cpu | gpu | igpu | accel (ggml's device type)
 * @param backend  the ggml backend that provides it: CPU, CUDA, Metal, Vulkan, RPC, ...
 * @param driver   driver name and version where the backend can tell (Vulkan, CUDA, Metal), else null
 * @param runtime  API/runtime version (e.g. "Vulkan 1.3.230", "CUDA runtime 12.4"), else null
 * @param software a CPU-emulated device (Mesa's lavapipe/llvmpipe): the GPU code path, not GPU speed
 */
public record GpuDevice(int index, String name, String description, String type, String backend, long memoryFreeBytes,
                        long memoryTotalBytes, String deviceId, String driver, String runtime, boolean software) {

    /** Whether llama.cpp can offload layers to it (a GPU, integrated GPU or an RPC server's device). */
    public boolean offloadTarget() {
        return "gpu".equals(type) || "igpu".equals(type);
    }

    public boolean rpc() {
        return "RPC".equals(backend);
    }

    /** "Vulkan0 (llvmpipe (LLVM 15.0.6, 256 bits), software device)". */
    public String label() {
        return name + " (" + description + (software ? ", software device" : "") + ")";
    }
}
