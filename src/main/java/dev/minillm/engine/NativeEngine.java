package dev.minillm.engine;

import dev.minillm.common.RunFailedException;
import dev.minillm.nativelib.MinillmJni;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The project's own JNI library over a current llama.cpp (native/, built by
 * scripts/build-native.sh), loaded from one build folder.
 */
public final class NativeEngine implements Engine {
    private final String spec;
    private final Path dir;
    private EngineIdentity identity;

    /** Loads the library in {@code dir}; a missing or unusable library is a one-line BadInputException. */
    public NativeEngine(String spec, Path dir, boolean verbose) {
        this.spec = spec;
        this.dir = dir;
        MinillmJni.load(dir, verbose);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String spec() {
        return spec;
    }

    /** One device as the library lists it. */
    record Device(String name, String type, String description, long freeBytes, long totalBytes, String backend) {
        static Device parse(String line) {
            String[] f = line.split("\t", -1);
            return new Device(f[0], f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), f.length > 5 ? f[5] : "");
        }

        boolean isGpu() {
            return type.equals("gpu") || type.equals("igpu");
        }

        String label() {
            return name + " (" + description + (totalBytes > 0 ? ", " + (totalBytes >> 20) + " MiB" : "") + ")";
        }
    }

    static List<Device> devices() {
        List<Device> out = new ArrayList<>();
        for (String line : MinillmJni.devices()) {
            out.add(Device.parse(line));
        }
        return out;
    }

    @Override
    public synchronized EngineIdentity identity() {
        if (identity == null) {
            String[] b = MinillmJni.buildInfo();
            List<String> devices = new ArrayList<>();
            List<String> gpus = new ArrayList<>();
            for (Device d : devices()) {
                devices.add(d.label());
                if (d.isGpu()) {
                    gpus.add(d.label());
                }
            }
            Set<String> backends = new LinkedHashSet<>(List.of(MinillmJni.backends()));
            identity = new EngineIdentity("native", dir.toAbsolutePath().toString(), b[0], b[1].isEmpty() ? null : b[1],
                    b[2], List.copyOf(backends), EngineIdentity.cpuVariantOf(b[4]), devices, gpus, b[4]);
        }
        return identity;
    }

    @Override
    public String refusal(String architecture) {
        // A current llama.cpp: whether it knows the architecture is its own call (its reason is reported on load).
        return null;
    }

    @Override
    public String gpuUnavailableReason() {
        EngineIdentity id = identity();
        if (!id.gpuDevices().isEmpty() && MinillmJni.supportsGpuOffload()) {
            return null;
        }
        String variant = id.variant() == null ? "" : id.variant();
        boolean gpuBuild = variant.startsWith("cuda") || variant.startsWith("metal") || variant.startsWith("vulkan")
                || id.backends().stream().anyMatch(NativeEngine::isGpuBackend);
        if (!gpuBuild) {
            return "the native engine (" + id.variant() + " build of llama.cpp " + id.llamaTag()
                    + ") has no GPU backend; build one with: bash scripts/build-native.sh --cuda (or --metal, --vulkan)";
        }
        return "the native engine's " + variant + " build found no GPU device"
                + (variant.startsWith("vulkan") ? " (llama.cpp leaves out CPU-emulated Vulkan devices such as Mesa's lavapipe "
                        + "unless GGML_VK_VISIBLE_DEVICES names them)" : "");
    }

    private static boolean isGpuBackend(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return !(n.equals("CPU") || n.equals("RPC") || n.startsWith("BLAS"));
    }

    @Override
    public Session open(Path model, EngineSettings settings, int maxSequences) {
        return NativeSession.open(model, settings, maxSequences);
    }

    @Override
    public void quantize(Path in, Path out, int llamaFtype, int threads) {
        int rc = MinillmJni.quantize(in.toString(), out.toString(), llamaFtype, threads);
        if (rc != 0) {
            String why = MinillmJni.lastLogError();
            throw new RunFailedException(in + ": llama_model_quantize failed (code " + rc + ")" + (why != null ? ": " + why : ""));
        }
    }
}
