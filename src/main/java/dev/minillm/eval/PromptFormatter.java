package dev.minillm.eval;

import dev.minillm.engine.ChatTemplate;
import dev.minillm.engine.Session;
import java.util.List;

/**
 * Turns a question into model input: through the model's chat template when it has one that
 * llama.cpp can apply, otherwise as a plain completion prompt (an unfinished sentence).
 */
final class PromptFormatter {
    static final String CHAT = "chat";
    static final String COMPLETION = "completion";
    static final String FACTUAL_INSTRUCTION = "Answer the question briefly, in one short sentence.\n";

    private final Session session;
    private final String template;
    private final String mode;
    private final String note;

    PromptFormatter(Session session) {
        this.session = session;
        String tmpl = session.chatTemplate();
        String probe = tmpl == null ? null
                : ChatTemplate.apply(tmpl, List.of(new ChatTemplate.Message("user", "probe")), true);
        if (tmpl == null) {
            template = null;
            mode = COMPLETION;
            note = "the model has no chat template: questions asked as plain completion prompts";
        } else if (probe == null) {
            template = null;
            mode = COMPLETION;
            note = "llama.cpp does not recognise the model's chat template: questions asked as plain completion prompts";
        } else {
            template = tmpl;
            mode = CHAT;
            note = "asked through the model's chat template (llama_chat_apply_template)";
        }
    }

    String mode() {
        return mode;
    }

    boolean completionMode() {
        return COMPLETION.equals(mode);
    }

    String note() {
        return note;
    }

    /** The prompt text as shown to the model. */
    String text(Question q) {
        if (template == null) {
            return q.completion();
        }
        String user = q.freeForm() ? q.question() : FACTUAL_INSTRUCTION + q.question();
        return ChatTemplate.apply(template, List.of(new ChatTemplate.Message("user", user)), true);
    }

    int[] tokens(Question q) {
        if (template == null) {
            return session.tokenize(q.completion(), true, false);
        }
        int[] t = session.tokenize(text(q), true, true);
        // Templates that spell out BOS themselves would otherwise start with it twice.
        if (t.length > 1 && t[0] == t[1] && session.tokenize("", true, false).length == 1
                && t[0] == session.tokenize("", true, false)[0]) {
            t = java.util.Arrays.copyOfRange(t, 1, t.length);
        }
        return t;
    }
}
