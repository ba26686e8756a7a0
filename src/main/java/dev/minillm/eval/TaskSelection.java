package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * The multiple-choice tasks a quality run scores ({@code bench --quality --tasks ...}) and the
 * sample: {@code limit} items per task drawn with {@code seed} (0: all), data under
 * {@code modelsDir}. Travels from the bench command to every cell's child JVM.
 */
public record TaskSelection(List<String> tasks, int limit, long seed, String modelsDir) {
    public TaskSelection {
        tasks = List.copyOf(tasks);
        if (limit < 0) {
            throw new BadInputException("--limit must be 0 (all items) or more, got " + limit);
        }
    }

    public List<ChoiceTask> parsed() {
        return tasks.stream().map(ChoiceTask::parse).distinct().toList();
    }

    /** Reads every task's data (unknown tasks, missing or bad files are bad input): checked before any cell runs. */
    public void check() {
        for (ChoiceTask t : parsed()) {
            ChoiceEval.load(t, null, null, Path.of(modelsDir));
        }
    }

    /** These tasks and this sample on {@code o}. */
    public QualityOptions apply(QualityOptions o) {
        return o.tasks(parsed()).taskLimit(limit).taskSeed(seed).modelsDir(Path.of(modelsDir));
    }
}
