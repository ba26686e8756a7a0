package dev.minillm.engine.gpu;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.minillm.common.RunFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Typed access to {@link GpuNative}: devices, RPC servers, layer placement and device memory. */
public final class GpuFacts {
    // the native side writes snake_case names, as the result files do
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private GpuFacts() {
    }

    public static List<GpuDevice> devices() {
        return parse(GpuNative.devices(), new TypeReference<List<GpuDevice>>() { });
    }

    /** Devices llama.cpp can offload layers to (GPUs, integrated GPUs, RPC servers' devices). */
    public static List<GpuDevice> offloadTargets() {
        return devices().stream().filter(GpuDevice::offloadTarget).toList();
    }

    public static boolean supportsRpc() {
        return GpuNative.supportsRpc();
    }

    /**
     * Connects to each server (checked to answer first, so a dead one is a one-line failure rather
     * than ggml's abort) and registers its devices for the next model load.
     */
    public static List<GpuDevice> addRpcServers(List<RpcEndpoint> servers) {
        List<GpuDevice> added = new ArrayList<>();
        for (RpcEndpoint e : servers) {
            String why = e.unreachableReason(3000);
            if (why != null) {
                throw new RunFailedException(why);
            }
            String text = GpuNative.addRpcServer(e.toString());
            JsonNode node = tree(text);
            if (node.isObject() && node.has("error")) {
                throw new RunFailedException("RPC server " + e + ": " + node.get("error").asText());
            }
            added.addAll(parse(text, new TypeReference<List<GpuDevice>>() { }));
        }
        return added;
    }

    /** Serves this process's devices over RPC until the process ends; throws with the reason otherwise. */
    public static void serveRpc(RpcEndpoint at, int threads, String deviceNames, String cacheDir) {
        String why = GpuNative.serveRpc(at.toString(), threads, deviceNames == null ? "" : deviceNames, cacheDir == null ? "" : cacheDir);
        throw new RunFailedException("rpc-server: " + why);
    }

    public static void beginPlacement() {
        GpuNative.beginPlacementCapture();
    }

    /** Device name of each layer (output layer last) as llama.cpp placed them since {@link #beginPlacement()}. */
    public static List<String> endPlacement() {
        JsonNode n = tree(GpuNative.endPlacementCapture());
        List<String> out = new ArrayList<>();
        n.path("layers").forEach(l -> out.add(l.asText()));
        return out;
    }

    /** Bytes per buffer type of a live llama_context; empty when the llama.cpp release cannot tell. */
    public static List<GpuBuffer> memory(long llamaContext) {
        String text = GpuNative.memoryBreakdown(llamaContext);
        return text == null ? List.of() : parse(text, new TypeReference<List<GpuBuffer>>() { });
    }

    /** Verifies the offload of a loaded model; see {@link Offload#problem()}. */
    public static Offload offload(int requestedLayers, List<String> placement, List<GpuBuffer> buffers, List<GpuDevice> devices) {
        Set<String> targets = new LinkedHashSet<>();
        devices.stream().filter(GpuDevice::offloadTarget).forEach(d -> targets.add(d.name()));
        return Offload.of(requestedLayers, placement, buffers, targets);
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("native GPU facts are not JSON: " + text, e);
        }
    }

    private static <T> T parse(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new IllegalStateException("native GPU facts are not JSON: " + text, e);
        }
    }
}
