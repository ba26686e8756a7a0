package dev.minillm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minillm.common.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The multiple-choice tasks and their prompt formats, as lm-evaluation-harness defines them
 * (0-shot): the same context string, the same choices, the same gold index. Each task reads the
 * JSON-lines file of its public release (and the field names of the Hugging Face copies).
 */
public enum ChoiceTask {
    ARC_EASY("arc_easy", "arc", "ARC-V1-Feb2018.zip", "ARC-Easy-Test.jsonl", null, true,
            "\"Question: {question}\\nAnswer:\" + \" {choice}\" (test split)"),
    ARC_CHALLENGE("arc_challenge", "arc", "ARC-V1-Feb2018.zip", "ARC-Challenge-Test.jsonl", null, true,
            "\"Question: {question}\\nAnswer:\" + \" {choice}\" (test split)"),
    HELLASWAG("hellaswag", "hellaswag", "hellaswag_val.jsonl", null, null, true,
            "\"{activity_label}: {ctx_a} {Ctx_b}\" + \" {ending}\", WikiHow bracket artifacts removed (validation split)"),
    PIQA("piqa", "piqa", "physicaliqa-train-dev.zip", "dev.jsonl", "dev-labels.lst", true,
            "\"Question: {goal}\\nAnswer:\" + \" {sol}\" (validation split)"),
    WINOGRANDE("winogrande", "winogrande", "winogrande_1.1.zip", "dev.jsonl", null, false,
            "partial scoring: \"{sentence up to _}{option}\" + \" {rest of sentence}\" (winogrande_xl dev split)");

    /** Name on the command line and in results. */
    public final String cliName;
    /** The manifest's dataset id; the file lands in models/&lt;datasetId&gt;/. */
    public final String datasetId;
    /** The downloaded file's name inside that directory: the JSON lines, or a zip holding them. */
    public final String fileName;
    /** For a zip: the JSON-lines member (matched by its last path components); else null. */
    public final String member;
    /** For a zip whose labels are kept apart (PIQA): that member; else null. */
    public final String labelsMember;
    /** Whether acc_norm is reported (the harness reports only acc for WinoGrande). */
    public final boolean hasAccNorm;
    /** The prompt format, for the record. */
    public final String format;

    ChoiceTask(String cliName, String datasetId, String fileName, String member, String labelsMember, boolean hasAccNorm,
               String format) {
        this.cliName = cliName;
        this.datasetId = datasetId;
        this.fileName = fileName;
        this.member = member;
        this.labelsMember = labelsMember;
        this.hasAccNorm = hasAccNorm;
        this.format = format;
    }

    public static ChoiceTask parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (ChoiceTask t : values()) {
            if (t.cliName.equals(n)) {
                return t;
            }
        }
        throw new BadInputException("unknown task '" + name + "' (known: " + names() + ")");
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(t -> t.cliName).toList());
    }

    /** Where {@code minillm download --dataset} puts the file under {@code modelsDir}. */
    public Path defaultFile(Path modelsDir) {
        return modelsDir.resolve(datasetId).resolve(fileName);
    }

    /**
     * Parses the task's JSON lines. {@code labels} (PIQA's separate label file, one per line) is used
     * for items without a label field; may be null.
     */
    public List<ChoiceItem> parse(String jsonl, String source, List<Integer> labels) {
        List<ChoiceItem> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        int index = 0;
        for (JsonLines.Line line : JsonLines.read(jsonl, source)) {
            JsonNode n = line.node();
            String where = line.where();
            Integer label = labels != null && index < labels.size() ? labels.get(index) : null;
            ChoiceItem item;
            try {
                item = item(n, index, label, where);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(where + ": " + e.getMessage());
            }
            if (!ids.add(item.id())) {
                throw new BadInputException(where + ": duplicate id '" + item.id() + "'");
            }
            out.add(item);
            index++;
        }
        if (out.isEmpty()) {
            throw new BadInputException(source + ": no items");
        }
        if (labels != null && labels.size() != out.size()) {
            throw new BadInputException(source + ": " + out.size() + " items but " + labels.size() + " labels");
        }
        return out;
    }

    private ChoiceItem item(JsonNode n, int index, Integer label, String where) {
        return switch (this) {
            case ARC_EASY, ARC_CHALLENGE -> arc(n, where);
            case HELLASWAG -> hellaswag(n, index, where);
            case PIQA -> piqa(n, index, label, where);
            case WINOGRANDE -> winogrande(n, index, where);
        };
    }

    /** AI2's release: question.stem + question.choices[{text,label}]; the HF copy: question + choices{text[],label[]}. */
    private static ChoiceItem arc(JsonNode n, String where) {
        String id = text(n, "id", where);
        JsonNode q = n.get("question");
        String stem;
        List<String> texts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        if (q != null && q.isObject()) {
            stem = text(q, "stem", where);
            for (JsonNode c : array(q, "choices", where)) {
                texts.add(text(c, "text", where));
                keys.add(text(c, "label", where));
            }
        } else {
            stem = text(n, "question", where);
            JsonNode c = n.get("choices");
            if (c == null || !c.isObject()) {
                throw new BadInputException(where + ": missing 'choices'");
            }
            for (JsonNode t : array(c, "text", where)) {
                texts.add(t.asText());
            }
            for (JsonNode l : array(c, "label", where)) {
                keys.add(l.asText());
            }
        }
        String answer = text(n, "answerKey", where);
        int gold = keys.indexOf(answer);
        if (gold < 0 || texts.size() != keys.size()) {
            throw new BadInputException(where + ": answerKey '" + answer + "' is not one of the choice labels " + keys);
        }
        return ChoiceItem.shared(id, "Question: " + stem + "\nAnswer:", texts, gold);
    }

    private static ChoiceItem hellaswag(JsonNode n, int index, String where) {
        String id = n.hasNonNull("ind") ? n.get("ind").asText() : String.valueOf(index);
        String ctx = text(n, "ctx_a", where) + " " + capitalize(textOrEmpty(n, "ctx_b"));
        String query = hellaswagPreprocess(text(n, "activity_label", where) + ": " + ctx);
        List<String> endings = new ArrayList<>();
        for (JsonNode e : array(n, "endings", where)) {
            endings.add(hellaswagPreprocess(e.asText()));
        }
        return ChoiceItem.shared(id, query, endings, intLabel(n, "label", null, endings.size(), where, 0));
    }

    private static ChoiceItem piqa(JsonNode n, int index, Integer label, String where) {
        String id = n.hasNonNull("id") ? n.get("id").asText() : String.valueOf(index);
        List<String> sols = List.of(text(n, "sol1", where), text(n, "sol2", where));
        return ChoiceItem.shared(id, "Question: " + text(n, "goal", where) + "\nAnswer:", sols,
                intLabel(n, "label", label, 2, where, 0));
    }

    private static ChoiceItem winogrande(JsonNode n, int index, String where) {
        String id = n.hasNonNull("qID") ? n.get("qID").asText() : String.valueOf(index);
        String sentence = text(n, "sentence", where);
        int blank = sentence.indexOf('_');
        if (blank < 0) {
            throw new BadInputException(where + ": the sentence has no blank '_'");
        }
        List<String> options = List.of(text(n, "option1", where), text(n, "option2", where));
        String rest = " " + sentence.substring(blank + 1).strip();
        List<String> contexts = options.stream().map(o -> sentence.substring(0, blank) + o).toList();
        // answer is "1" or "2"
        int gold = intLabel(n, "answer", null, 3, where, 1) - 1;
        if (gold < 0) {
            throw new BadInputException(where + ": answer must be 1 or 2");
        }
        return new ChoiceItem(id, contexts, List.of(rest, rest), contexts, gold);
    }

    /** HellaSwag's clean-up of WikiHow artifacts, as the harness applies it to query and endings. */
    static String hellaswagPreprocess(String text) {
        String t = text.strip();
        t = t.replace(" [title]", ". ");
        t = t.replaceAll("\\[.*?\\]", "");
        return t.replace("  ", " ");
    }

    /** Python's str.capitalize(): first character upper case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.offsetByCodePoints(0, 1);
        return s.substring(0, first).toUpperCase(Locale.ROOT) + s.substring(first).toLowerCase(Locale.ROOT);
    }

    private static int intLabel(JsonNode n, String field, Integer fallback, int bound, String where, int min) {
        JsonNode v = n.get(field);
        Integer value = fallback;
        if (v != null && !v.isNull() && !v.asText().isBlank()) {
            try {
                value = Integer.parseInt(v.asText().strip());
            } catch (NumberFormatException e) {
                throw new BadInputException(where + ": '" + field + "' must be a number, got '" + v.asText() + "'");
            }
        }
        if (value == null) {
            throw new BadInputException(where + ": no '" + field + "' (unlabeled split? use the validation file"
                    + (fallback == null && field.equals("label") ? ", or --labels FILE" : "") + ")");
        }
        if (value < min || value >= bound) {
            throw new BadInputException(where + ": '" + field + "' " + value + " is out of range");
        }
        return value;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            throw new BadInputException(where + ": missing '" + field + "'");
        }
        return v.asText();
    }

    private static String textOrEmpty(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static JsonNode array(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray() || v.size() < 2) {
            throw new BadInputException(where + ": '" + field + "' must be a list of at least two entries");
        }
        return v;
    }
}
