package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minillm.eval.QualityOptions;
import dev.minillm.eval.QualityResult;
import dev.minillm.eval.QualityRunner;
import java.nio.file.Path;

/**
 * bench --quality: the quality evaluation of {@code dev.minillm.eval} for one cell, run in the
 * cell's child JVM after the speed repetitions, with the cell's threads and offload. The baseline is
 * the family's highest-precision variant; its reference record is computed once and reused.
 */
final class QualityHook {
    private QualityHook() {
    }

    static JsonNode run(CellSpec spec, Path model) {
        QualityOptions o = QualityOptions.defaults()
                .threads(spec.threads())
                .gpuLayers(spec.gpuLayers())
                .baselineDir(Path.of(spec.baselineDir()))
                .verbose(spec.verbose());
        if (spec.tasks() != null) {
            spec.tasks().apply(o);
        }
        Path baseline = spec.baselinePath() != null ? Path.of(spec.baselinePath()) : null;
        QualityResult r = QualityRunner.run(model, baseline, o);
        return CellJson.MAPPER.valueToTree(r);
    }
}
