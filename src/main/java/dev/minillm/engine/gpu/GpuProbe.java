package dev.minillm.engine.gpu;

import java.util.List;

/**
 * Wraps one model load of the native engine: the devices and their free memory just before it,
 * llama.cpp's layer placement during it, and the buffers of the finished context — the facts a
 * cell records and the check that the offload happened as asked.
 *
 * <pre>
 *   GpuProbe probe = GpuProbe.begin(nGpuLayers);
 *   try { model = load(...); ctx = newContext(...); } catch (...) { probe.abandon(); throw ...; }
 *   GpuPlacement info = probe.finish(ctx, rpcServers);
 * </pre>
 */
public final class GpuProbe {
    private final int requestedLayers;
    private final List<GpuDevice> before;
    private boolean open = true;

    private GpuProbe(int requestedLayers, List<GpuDevice> before) {
        this.requestedLayers = requestedLayers;
        this.before = before;
    }

    /** Call right before the model load. */
    public static GpuProbe begin(int requestedLayers) {
        List<GpuDevice> before = GpuFacts.devices();
        GpuFacts.beginPlacement();
        return new GpuProbe(requestedLayers, before);
    }

    /** After the context exists: what was placed where, verified against the request. */
    public GpuPlacement finish(long llamaContext, List<RpcEndpoint> rpc) {
        List<String> placement = end();
        List<GpuBuffer> buffers = GpuFacts.memory(llamaContext);
        Offload o = GpuFacts.offload(requestedLayers, placement, buffers, before);
        return placement(o, before, buffers, rpc);
    }

    /** The cell's record of an offload: the offload devices as before the load, and the verdict. */
    static GpuPlacement placement(Offload o, List<GpuDevice> devicesBeforeLoad, List<GpuBuffer> buffers, List<RpcEndpoint> rpc) {
        List<GpuDevice> targets = devicesBeforeLoad.stream().filter(GpuDevice::offloadTarget).toList();
        boolean software = targets.stream().anyMatch(d -> d.software() && o.layersPerDevice().containsKey(d.name()));
        return new GpuPlacement(o.requestedLayers(), o.layersTotal(), o.layersOffloaded(), o.layersPerDevice(),
                o.outputDevice(), o.modelBytesOffloaded(), o.kvBytesOffloaded(), o.computeBytesOffloaded(),
                o.modelBytesHost(), o.kvBytesHost(), targets, buffers, rpc.stream().map(RpcEndpoint::toString).toList(),
                software, o.problem());
    }

    /** The load failed: stop capturing. */
    public void abandon() {
        end();
    }

    private List<String> end() {
        if (!open) {
            return List.of();
        }
        open = false;
        return GpuFacts.endPlacement();
    }
}
