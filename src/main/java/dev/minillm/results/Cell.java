package dev.minillm.results;

/**
 * Which cell a result belongs to: model family x variant x engine x backend x settings.
 *
 * @param id        "model/variant__backend[-engine][__tag]", the tag naming every setting that differs from the defaults
 * @param variant   upper-case llama.cpp type name (F16, Q8_0, Q5_K_M, ...)
 * @param backend   cpu | gpu
 * @param engine    the engine's column name: "bundled", "native" or "native-<build folder>" (null: bundled)
 * @param placement where a gpu cell's layers went when not all on the local GPU ("ngl8", "rpc127.0.0.1-50052"),
 *                  part of its column; null for cpu cells and all layers on the local GPU
 */
public record Cell(String id, String model, String variant, String backend, String engine, String modelPath,
                   Settings settings, String placement) {
    public static final String BUNDLED = "bundled";

    /** The engine's column name, bundled when the file recorded none. */
    public String engineOrBundled() {
        return engine == null ? BUNDLED : engine;
    }

    /** The backend with the placement: "gpu", "gpu-ngl8", "cpu". */
    public String backendColumn() {
        return placement == null || placement.isEmpty() ? backend : backend + "-" + placement;
    }
}
