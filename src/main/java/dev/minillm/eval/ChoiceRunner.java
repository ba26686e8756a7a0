package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.Session;
import dev.minillm.gguf.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code eval mc}: loads one model and scores the given tasks on it. */
public final class ChoiceRunner {
    private ChoiceRunner() {
    }

    public static List<TaskAccuracy> run(Path model, List<ChoiceEval.TaskData> tasks, ChoiceEval.Sample sample,
                                         QualityOptions o, boolean batched) {
        QualityRunner.requireFile(model, "model");
        if (GgufFile.open(model).isSynthetic()) {
            throw new BadInputException(model + ": " + QualityResult.SYNTHETIC_NOTE + " (accuracy of random weights means nothing)");
        }
        for (ChoiceEval.TaskData d : tasks) {
            ChoiceEval.select(d, sample); // unknown ids fail before the model loads
        }
        List<TaskAccuracy> out = new ArrayList<>();
        try (Session session = QualityRunner.open(model, o.tasks(tasks.stream().map(ChoiceEval.TaskData::task).toList()))) {
            for (ChoiceEval.TaskData d : tasks) {
                out.add(ChoiceEval.run(session, d, sample, null, batched));
            }
        }
        return out;
    }
}
