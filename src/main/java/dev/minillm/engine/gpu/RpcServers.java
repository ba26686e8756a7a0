package dev.minillm.engine.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The RPC servers this process has registered with llama.cpp (once per process: a cell's child
 * JVM connects before its first load, and every later load offloads to them as well).
 */
public final class RpcServers {
    private static final List<RpcEndpoint> ACTIVE = new ArrayList<>();
    private static final List<GpuDevice> DEVICES = new ArrayList<>();

    private RpcServers() {
    }

    /** Connects to the servers (each checked to answer first) and registers their devices. */
    public static synchronized List<GpuDevice> connect(List<RpcEndpoint> servers) {
        List<RpcEndpoint> fresh = servers.stream().filter(e -> !ACTIVE.contains(e)).toList();
        List<GpuDevice> added = GpuFacts.addRpcServers(fresh);
        ACTIVE.addAll(fresh);
        DEVICES.addAll(added);
        return List.copyOf(DEVICES);
    }

    public static synchronized List<RpcEndpoint> active() {
        return List.copyOf(ACTIVE);
    }
}
