package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.Engines;
import dev.minillm.engine.gpu.GpuFacts;
import dev.minillm.engine.gpu.RpcEndpoint;
import dev.minillm.engine.gpu.GpuDevice;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves this machine's devices to another machine's {@code bench --rpc} through llama.cpp's RPC backend. */
@Command(name = "rpc-server", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Serves this machine's devices (its GPUs, else its CPU) to 'bench --rpc HOST:PORT' on another machine "
                + "through llama.cpp's RPC backend, until stopped (Ctrl-C).",
                "The RPC protocol has NO authentication and no encryption: anyone who can reach the port can use the "
                + "served device and read what is sent. It binds to 127.0.0.1 unless --host says otherwise; "
                + "expose it only on a network you trust."})
public final class RpcServerCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + RpcEndpoint.DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--device", paramLabel = "LIST",
            description = "Devices to serve, e.g. CUDA0 or Vulkan0,Vulkan1 (default: every GPU, else the CPU).")
    String device;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Keep received tensors in DIR, so a reloaded model is not sent again (default: off).")
    String cache;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "native",
            description = "native or a native build folder (built by scripts/build-native.sh; default: ${DEFAULT-VALUE})")
    String engine;

    @Override
    public Integer call() {
        RpcEndpoint at = new RpcEndpoint(host, port);
        int n = threads.get();
        if (Engines.DEFAULT.equals(engine)) {
            throw new BadInputException("rpc-server: the bundled engine has no RPC backend; use --engine native (bash scripts/build-native.sh)");
        }
        Engines.get(engine, false);
        if (!GpuFacts.supportsRpc()) {
            throw new BadInputException(engine + ": this native build has no RPC backend (rebuild it with scripts/build-native.sh)");
        }
        System.err.println("rpc-server: WARNING: llama.cpp's RPC protocol has no authentication and no encryption: "
                + "anyone who can reach " + at + " can use this machine's devices and read the model and prompts sent to it.");
        if (!isLoopback(host)) {
            System.err.println("rpc-server: WARNING: listening on " + host + ", not on loopback: never expose this port to a "
                    + "network you do not trust.");
        }
        for (GpuDevice d : GpuFacts.devices()) {
            if (!d.rpc()) {
                System.err.println("rpc-server: device " + d.label() + ", " + (d.memoryTotalBytes() >> 20) + " MiB ("
                        + (d.memoryFreeBytes() >> 20) + " MiB free)");
            }
        }
        System.err.println("rpc-server: serving on " + at + " with " + n + " thread(s); use it with: bench --engine native "
                + "--rpc " + at);
        System.err.flush();
        GpuFacts.serveRpc(at, n, device, cache);
        return Main.EXIT_OK; // not reached: serveRpc returns only by throwing
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new BadInputException("--host: cannot resolve '" + host + "'");
        }
    }
}
