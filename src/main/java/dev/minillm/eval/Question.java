package dev.minillm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One line of prompts/hallucination.jsonl: a factual question with accepted and known-wrong
 * answer patterns (Java regular expressions, case-insensitive unless the pattern says
 * {@code (?-i)}), or a free-form prompt ({@code "kind": "free_form"}) recorded but not scored.
 * {@code completion} is the plain-text prompt for models without a chat template: an unfinished
 * sentence whose continuation is the answer. {@code answers} / {@code wrongAnswers} (fields
 * "answers", "wrong_answers") are the same answers as plain text, for the likelihood score: is an
 * accepted answer more probable after the prompt than every listed wrong one?
 */
public record Question(String id, String kind, String question, String completion, List<Pattern> accept,
                       List<Pattern> wrong, List<String> answers, List<String> wrongAnswers) {
    public static final String FACTUAL = "factual";
    public static final String FREE_FORM = "free_form";

    public boolean freeForm() {
        return FREE_FORM.equals(kind);
    }

    public static List<Question> parse(String jsonl, String source) {
        List<Question> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonLines.Line line : JsonLines.read(jsonl, source)) {
            JsonNode n = line.node();
            String where = line.where();
            String id = text(n, "id", where, true);
            if (!ids.add(id)) {
                throw new BadInputException(where + ": duplicate id '" + id + "'");
            }
            String kind = n.hasNonNull("kind") ? n.get("kind").asText() : FACTUAL;
            if (!kind.equals(FACTUAL) && !kind.equals(FREE_FORM)) {
                throw new BadInputException(where + ": kind must be 'factual' or 'free_form', not '" + kind + "'");
            }
            String question = text(n, "question", where, true);
            String completion = text(n, "completion", where, false);
            if (completion == null) {
                completion = question;
            }
            List<Pattern> accept = patterns(n, "accept", where);
            List<Pattern> wrong = patterns(n, "wrong", where);
            if (kind.equals(FACTUAL) && accept.isEmpty()) {
                throw new BadInputException(where + ": a factual question needs at least one 'accept' pattern");
            }
            List<String> answers = strings(n, "answers", where);
            List<String> wrongAnswers = strings(n, "wrong_answers", where);
            if (answers.isEmpty() != wrongAnswers.isEmpty()) {
                throw new BadInputException(where + ": the likelihood score needs both 'answers' and 'wrong_answers'");
            }
            out.add(new Question(id, kind, question, completion, accept, wrong, answers, wrongAnswers));
        }
        if (out.isEmpty()) {
            throw new BadInputException(source + ": no questions");
        }
        return out;
    }

    /** The questions file, or the built-in prompts/hallucination.jsonl when {@code file} is null. */
    public static List<Question> load(Path file) {
        if (file != null) {
            try {
                return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (java.nio.file.NoSuchFileException e) {
                throw new BadInputException(file + ": no such file");
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot read: " + e.getMessage());
            }
        }
        EvalResources.Loaded builtIn = EvalResources.text(null, EvalResources.QUESTIONS);
        if (builtIn == null) {
            throw new BadInputException(EvalResources.QUESTIONS + " not found (neither in the working directory nor in the jar)");
        }
        return parse(builtIn.text(), builtIn.source());
    }

    private static String text(JsonNode n, String field, String where, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw new BadInputException(where + ": missing '" + field + "'");
            }
            return null;
        }
        return v.asText();
    }

    /** Whether the question has plain-text answers for the likelihood score. */
    public boolean likelihoodScored() {
        return !freeForm() && !answers.isEmpty() && !wrongAnswers.isEmpty();
    }

    private static List<String> strings(JsonNode n, String field, String where) {
        List<String> out = new ArrayList<>();
        JsonNode arr = n.get(field);
        if (arr == null || arr.isNull()) {
            return out;
        }
        if (!arr.isArray()) {
            throw new BadInputException(where + ": '" + field + "' must be a list of answers");
        }
        for (JsonNode a : arr) {
            if (!a.isTextual() || a.asText().isBlank()) {
                throw new BadInputException(where + ": '" + field + "' must hold non-empty strings");
            }
            out.add(a.asText().strip());
        }
        return out;
    }

    private static List<Pattern> patterns(JsonNode n, String field, String where) {
        List<Pattern> out = new ArrayList<>();
        JsonNode arr = n.get(field);
        if (arr == null || arr.isNull()) {
            return out;
        }
        if (!arr.isArray()) {
            throw new BadInputException(where + ": '" + field + "' must be a list of patterns");
        }
        for (JsonNode p : arr) {
            try {
                out.add(Pattern.compile(p.asText(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
            } catch (PatternSyntaxException e) {
                throw new BadInputException(where + ": bad pattern in '" + field + "': " + e.getDescription() + " in " + p.asText());
            }
        }
        return out;
    }
}
