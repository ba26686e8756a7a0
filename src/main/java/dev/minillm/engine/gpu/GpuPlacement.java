package dev.minillm.engine.gpu;

import java.util.List;
import java.util.Map;

/**
 * Where a cell that offloads (a gpu cell, an RPC cell) put the model: the offload devices with
 * their memory before the load, the layers per device from llama.cpp's own placement, and the
 * bytes of weights, KV cache and compute buffers per ggml buffer type. Written as the cell's
 * {@code gpu} object; an ok cell's placement always matches its request (else the cell fails).
 *
 * @param requestedLayers  llama.cpp's n_gpu_layers as asked (-1: all)
 * @param layersTotal      repeating layers + the output layer
 * @param split            device name → layers placed there (the output layer included)
 * @param devices          the devices llama.cpp could offload to, memory as before the load
 * @param buffers          bytes per ggml buffer type (host buffers included)
 * @param rpcServers       the RPC servers of the cell (HOST:PORT), empty for none
 * @param softwareDevice   a device that received layers is CPU-emulated (lavapipe): the GPU code path, not GPU speed
 * @param problem          why the placement does not match the request (the cell then fails), null when verified
 */
public record GpuPlacement(int requestedLayers, int layersTotal, int layersOffloaded, Map<String, Integer> split,
                           String outputDevice, long modelBytesOffloaded, long kvBytesOffloaded,
                           long computeBytesOffloaded, long modelBytesHost, long kvBytesHost,
                           List<GpuDevice> devices, List<GpuBuffer> buffers, List<String> rpcServers,
                           boolean softwareDevice, String problem) {

    /** "CPU 2, Vulkan0 4" — layers per device. */
    public String splitText() {
        StringBuilder sb = new StringBuilder();
        split.forEach((d, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(d).append(' ').append(n));
        return sb.toString();
    }
}
