package dev.minillm.engine.gpu;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What a cell that offloads (a gpu cell, an RPC cell) records about its devices: the offload
 * devices with their memory before the load, where llama.cpp put the layers, and the bytes of
 * weights, KV cache and compute buffers per buffer type. Written as the cell's {@code gpu} object.
 *
 * @param requestedLayers  llama.cpp's n_gpu_layers as asked (-1: all)
 * @param split            device name → layers placed there (the output layer included)
 * @param devices          the devices llama.cpp could offload to, memory as before the load
 * @param buffers          bytes per ggml buffer type (host buffers included)
 * @param rpcServers       the RPC servers of the cell, empty for none
 * @param softwareDevice   an offload device is CPU-emulated (lavapipe): the GPU code path, not GPU speed
 * @param problem          why the placement does not match the request (the cell then fails), null when verified
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuCellInfo(int requestedLayers, int layersTotal, int layersOffloaded, Map<String, Integer> split,
                          String outputDevice, long modelBytesOffloaded, long kvBytesOffloaded,
                          long computeBytesOffloaded, long modelBytesHost, long kvBytesHost,
                          List<GpuDevice> devices, List<BufferUse> buffers, List<String> rpcServers,
                          boolean softwareDevice, String problem) {

    public static GpuCellInfo of(Offload o, List<GpuDevice> devicesBeforeLoad, List<BufferUse> buffers, List<RpcEndpoint> rpc) {
        List<GpuDevice> targets = devicesBeforeLoad.stream().filter(GpuDevice::offloadTarget).toList();
        boolean software = targets.stream().anyMatch(d -> d.software() && o.layersPerDevice().containsKey(d.name()));
        return new GpuCellInfo(o.requestedLayers(), o.layersTotal(), o.layersOffloaded(), o.layersPerDevice(),
                o.outputDevice(), o.modelBytesOffloaded(), o.kvBytesOffloaded(), o.computeBytesOffloaded(),
                o.modelBytesHost(), o.kvBytesHost(), targets, buffers, rpc.stream().map(RpcEndpoint::toString).toList(), software, o.problem());
    }

    /** "CPU 2, Vulkan0 4" — layers per device. */
    public String splitText() {
        StringBuilder sb = new StringBuilder();
        split.forEach((d, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(d).append(' ').append(n));
        return sb.toString();
    }
}
