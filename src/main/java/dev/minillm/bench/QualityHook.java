package dev.minillm.bench;

import dev.minillm.eval.QualityOptions;
import dev.minillm.eval.QualityResult;
import dev.minillm.eval.QualityRunner;
import java.nio.file.Path;

/**
 * bench --quality: the quality evaluation of {@code dev.minillm.eval} for one cell, run in the
 * cell's child JVM after the speed repetitions, with the cell's engine, threads, offload and KV cache
 * (type of K and V, flash attention), so a swept KV setting gets its own quality cost. The baseline is
 * the family's highest-precision variant at llama.cpp's default cache; its reference record is
 * computed once and reused.
 */
final class QualityHook {
    private QualityHook() {
    }

    static QualityResult run(CellSpec spec, Path model) {
        QualityOptions o = QualityOptions.defaults()
                .threads(spec.settings().threads())
                .gpuLayers(spec.settings().gpuLayers())
                .engine(spec.engineOrDefault())
                .cacheTypeK(spec.settings().cacheTypeK())
                .cacheTypeV(spec.settings().cacheTypeV())
                .flashAttn(spec.settings().flashAttn())
                .baselineDir(Path.of(spec.measure().baselineDir()))
                .verbose(spec.output().verbose());
        if (spec.settings().tasks() != null) {
            spec.settings().tasks().apply(o);
        }
        Path baseline = spec.measure().baselinePath() != null ? Path.of(spec.measure().baselinePath()) : null;
        return QualityRunner.run(model, baseline, o);
    }
}
