package dev.minillm.engine;

import dev.minillm.gguf.KnownArchitectures;
import dev.minillm.nativelib.LlamaLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** java-llama.cpp 4.2.0's llama.cpp b4916, driven through JNA ({@link LlamaSession}): zero set-up. */
public final class BundledEngine implements Engine {
    public static final String SPEC = "bundled";
    private EngineIdentity identity;

    @Override
    public String spec() {
        return SPEC;
    }

    @Override
    public synchronized EngineIdentity identity() {
        if (identity == null) {
            String info = NativeBuild.systemInfo();
            List<String> devices = new ArrayList<>();
            List<String> backends = new ArrayList<>();
            long n = LlamaLibrary.ggml_backend_dev_count();
            for (long i = 0; i < n; i++) {
                com.sun.jna.Pointer dev = LlamaLibrary.ggml_backend_dev_get(i);
                if (dev != null) {
                    String name = LlamaLibrary.ggml_backend_dev_name(dev);
                    devices.add(name + " (" + LlamaLibrary.ggml_backend_dev_description(dev) + ")");
                    backends.add(name);
                }
            }
            String gpu = NativeBuild.gpuBackend();
            identity = new EngineIdentity(SPEC, null, NativeBuild.BUILD, null, "java-llama.cpp 4.2.0", backends,
                    EngineIdentity.cpuVariantOf(info), devices, gpu == null ? List.of() : List.of(gpu), info);
        }
        return identity;
    }

    @Override
    public String refusal(String architecture) {
        if (architecture == null || KnownArchitectures.isKnown(architecture)) {
            return null;
        }
        return "architecture '" + architecture + "' is not supported by the bundled llama.cpp ("
                + KnownArchitectures.NATIVE_BUILD + "); build the native engine (bash scripts/build-native.sh) "
                + "and use --engine native";
    }

    @Override
    public boolean hasWrapperFigure() {
        return true;
    }

    @Override
    public String llamaCppSpeculativeRefusal() {
        return "not measured on the bundled engine: its llama.cpp b4916 library exports the speculative helpers "
                + "(common_speculative_*) only as C++ symbols, not through the C API it is driven by; the native engine "
                + "(--engine native) measures it";
    }

    @Override
    public String gpuUnavailableReason() {
        return NativeBuild.gpuUnavailableReason();
    }

    @Override
    public Session open(Path model, EngineSettings settings, int maxSequences) {
        return LlamaSession.open(model, settings, maxSequences);
    }

    @Override
    public void quantize(Path in, Path out, int llamaFtype, int threads) {
        throw new UnsupportedOperationException("the bundled llama.cpp " + NativeBuild.BUILD
                + " library does not export llama_model_quantize; use --engine native");
    }
}
