package dev.minillm.engine.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where llama.cpp actually put a model: layers per device (from its own placement log) and the
 * bytes of weights, KV cache and compute buffers that landed off the CPU (from ggml's backend
 * buffers). A gpu cell is only accepted when this matches what was asked for, so a cell can never
 * run on the CPU while it says GPU.
 *
 * @param requestedLayers   layers asked for on the GPU (llama.cpp's n_gpu_layers; the output layer counts as one)
 * @param layersTotal       repeating layers + the output layer
 * @param layersOffloaded   layers placed on a device other than the CPU
 * @param layersPerDevice   device name → layers placed there, in placement order (output layer included)
 */
public record Offload(int requestedLayers, int layersTotal, int layersOffloaded, Map<String, Integer> layersPerDevice,
                      String outputDevice, long modelBytesOffloaded, long kvBytesOffloaded, long computeBytesOffloaded,
                      long modelBytesHost, long kvBytesHost) {

    /**
     * @param placement       device of each layer, the output layer last (from {@link GpuFacts#endPlacement()})
     * @param offloadDevices  names of the devices that are not the CPU
     */
    public static Offload of(int requestedLayers, List<String> placement, List<GpuBuffer> buffers, Set<String> offloadDevices) {
        Map<String, Integer> perDevice = new LinkedHashMap<>();
        int offloaded = 0;
        for (String dev : placement) {
            perDevice.merge(dev == null || dev.isEmpty() ? "?" : dev, 1, Integer::sum);
            if (offloadDevices.contains(dev)) {
                offloaded++;
            }
        }
        long mOff = 0;
        long kvOff = 0;
        long cOff = 0;
        long mHost = 0;
        long kvHost = 0;
        for (GpuBuffer b : buffers) {
            if (b.offloaded()) {
                mOff += b.modelBytes();
                kvOff += b.contextBytes();
                cOff += b.computeBytes();
            } else {
                mHost += b.modelBytes();
                kvHost += b.contextBytes();
            }
        }
        return new Offload(requestedLayers, placement.size(), offloaded, perDevice,
                placement.isEmpty() ? null : placement.get(placement.size() - 1), mOff, kvOff, cOff, mHost, kvHost);
    }

    /** The layers llama.cpp should have offloaded for the request: n_gpu_layers capped at all layers. */
    public int expectedOffloaded() {
        return requestedLayers < 0 ? layersTotal : Math.min(requestedLayers, layersTotal);
    }

    /**
     * Why this placement does not match the request (one line), or null when it does: the layer
     * count on non-CPU devices must be the expected one, and when any layer is offloaded, model
     * weights must actually sit in a non-CPU buffer.
     */
    public String problem() {
        if (layersTotal == 0) {
            return "llama.cpp reported no layer placement while loading (cannot verify the offload)";
        }
        int expected = expectedOffloaded();
        if (layersOffloaded != expected) {
            return "asked for " + expected + " of " + layersTotal + " layers on the GPU, but llama.cpp placed "
                    + layersOffloaded + " there (" + layersPerDevice + ")";
        }
        if (expected > 0 && modelBytesOffloaded == 0) {
            return "llama.cpp placed " + expected + " layers on " + layersPerDevice.keySet()
                    + " but no model weights are in a GPU buffer";
        }
        return null;
    }
}
