package dev.minillm.eval;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores a model's answer to a factual question as correct, wrong or no answer.
 *
 * <p>Only the start of the answer is read (the "answer window"): in chat mode the first
 * paragraph, at most 300 characters; in completion mode — where the prompt is an unfinished
 * sentence — the rest of that sentence (up to the first . ! ? followed by a space, or a line
 * break; a continuation that starts with a line break answers nothing), at most 200 characters. Within the window:
 * <ol>
 *   <li>nothing but spaces and punctuation: no answer;</li>
 *   <li>an accepted pattern that occurs before any known-wrong pattern: correct (the first answer
 *       given counts, so "Tokyo, not Kyoto" is correct and "Kyoto. Actually Tokyo" is wrong);</li>
 *   <li>a known-wrong pattern first: wrong;</li>
 *   <li>neither, but a hedge or refusal ("I don't know", "not sure", ...): no answer;</li>
 *   <li>neither and no hedge: wrong — the model answered without the fact, which is how
 *       rambling or invented text is counted.</li>
 * </ol>
 */
public final class AnswerScorer {
    public enum Verdict { CORRECT, WRONG, NO_ANSWER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Score(Verdict verdict, String reason, String window) {
    }

    static final int CHAT_WINDOW = 300;
    static final int COMPLETION_WINDOW = 200;

    private static final Pattern HEDGE = Pattern.compile(
            "\\b(i\\s+(do\\s*n[o']?t|don't|cannot|can't|am\\s+not|'m\\s+not)\\s+(know|sure|certain|answer|say|tell|determine|have)"
                    + "|not\\s+sure|unsure|no\\s+idea|i\\s+am\\s+unable|i'm\\s+unable|unable\\s+to\\s+(answer|determine|say)"
                    + "|(cannot|can't|can\\s+not)\\s+(answer|be\\s+determined|say|determine)|i\\s+don['’]t\\s+know|as\\s+an\\s+ai)",
            Pattern.CASE_INSENSITIVE);

    private AnswerScorer() {
    }

    public static Score score(Question q, String answer, boolean completionMode) {
        String window = window(answer == null ? "" : answer, completionMode);
        if (window.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return new Score(Verdict.NO_ANSWER, "empty answer", window);
        }
        Matcher accept = earliest(q.accept(), window);
        Matcher wrong = earliest(q.wrong(), window);
        if (accept != null && (wrong == null || accept.start() <= wrong.start())) {
            return new Score(Verdict.CORRECT, "accepted answer '" + accept.group() + "' at character " + accept.start(), window);
        }
        if (wrong != null) {
            return new Score(Verdict.WRONG, "known-wrong answer '" + wrong.group() + "' at character " + wrong.start()
                    + (accept != null ? " (before the accepted one)" : ""), window);
        }
        Matcher hedge = HEDGE.matcher(window);
        if (hedge.find()) {
            return new Score(Verdict.NO_ANSWER, "hedged or declined: '" + hedge.group() + "'", window);
        }
        return new Score(Verdict.WRONG, "answered without the accepted answer", window);
    }

    /** The part of the answer that is scored (see the class comment). */
    static String window(String answer, boolean completionMode) {
        if (completionMode) {
            // A continuation that starts a new line left the sentence unfinished: nothing answered.
            String s = answer.replaceFirst("^[ \\t]+", "");
            Matcher end = Pattern.compile("[.!?](\\s|$)|\\n").matcher(s);
            if (end.find()) {
                s = s.substring(0, end.start() + (s.charAt(end.start()) == '\n' ? 0 : 1));
            }
            return cap(s, COMPLETION_WINDOW);
        }
        String s = answer.stripLeading();
        Matcher para = Pattern.compile("\\n\\s*\\n").matcher(s);
        if (para.find()) {
            s = s.substring(0, para.start());
        }
        return cap(s, CHAT_WINDOW);
    }

    private static String cap(String s, int n) {
        return s.length() <= n ? s.strip() : s.substring(0, n).strip();
    }

    private static Matcher earliest(List<Pattern> patterns, String text) {
        Matcher best = null;
        for (Pattern p : patterns) {
            Matcher m = p.matcher(text);
            if (m.find() && (best == null || m.start() < best.start())) {
                best = m;
            }
        }
        return best;
    }
}
