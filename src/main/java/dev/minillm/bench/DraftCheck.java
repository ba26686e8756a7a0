package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.Vocabularies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the --draft models before any cell runs: each is a valid GGUF (pure-Java validator) and
 * tokenizes exactly like every target it is paired with, so a mismatch costs one line and exit 2,
 * not a bench run whose drafts are never accepted.
 */
final class DraftCheck {
    private DraftCheck() {
    }

    /** One spec per draft and K, in the order given. */
    static List<SpeculativeSpec> drafts(BenchConfig.Speculation s, List<ModelCandidate> targets) {
        Map<String, GgufMetadata> targetVocab = new HashMap<>();
        for (ModelCandidate t : targets) {
            targetVocab.put(t.path().toString(), GgufFile.open(t.path()).metadata());
        }
        List<SpeculativeSpec> out = new ArrayList<>();
        Map<String, Path> labels = new HashMap<>();
        for (Path draft : s.drafts()) {
            ModelCheck.Checked checked = ModelCheck.check(draft);
            GgufMetadata dm = GgufFile.open(draft).metadata();
            for (ModelCandidate t : targets) {
                String diff = Vocabularies.difference(targetVocab.get(t.path().toString()), dm);
                if (diff != null) {
                    throw new BadInputException(draft + ": its vocabulary differs from the target " + t.path() + "'s ("
                            + diff + "); a draft must share the target's tokenizer");
                }
            }
            String label = draft.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            Path prev = labels.putIfAbsent(ModelNames.safeSegment(label), draft);
            if (prev != null && !prev.equals(draft)) {
                throw new BadInputException(draft + ": another --draft (" + prev + ") has the same file name; rename one");
            }
            if (prev != null) {
                continue;
            }
            for (int k : s.draftMax()) {
                out.add(new SpeculativeSpec(draft.toString(), label, checked.fileType(), k));
            }
        }
        return out;
    }
}
