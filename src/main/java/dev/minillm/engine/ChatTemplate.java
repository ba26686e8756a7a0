package dev.minillm.engine;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.minillm.nativelib.LlamaLibrary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats a conversation with a model's chat template through llama.cpp's
 * {@code llama_chat_apply_template}. That function recognises the common template families
 * (ChatML, Llama 2/3, Gemma, Phi, Mistral, ...) by their text; an unrecognised Jinja template
 * yields null, and callers fall back to a plain completion prompt.
 */
public final class ChatTemplate {
    private ChatTemplate() {
    }

    /** One message: role ("system", "user", "assistant") and content. */
    public record Message(String role, String content) {
    }

    /**
     * The prompt text for {@code messages} under {@code template}, ending with the assistant's
     * turn opened when {@code addAssistant}; null when llama.cpp does not support the template.
     */
    public static String apply(String template, List<Message> messages, boolean addAssistant) {
        LlamaLibrary.load();
        int n = messages.size();
        // struct llama_chat_message { const char *role; const char *content; } — two pointers each.
        Memory chat = new Memory((long) Native.POINTER_SIZE * 2 * Math.max(n, 1));
        List<Memory> keep = new ArrayList<>();
        int textBytes = 0;
        for (int i = 0; i < n; i++) {
            Memory role = cString(messages.get(i).role());
            Memory content = cString(messages.get(i).content());
            keep.add(role);
            keep.add(content);
            chat.setPointer((long) Native.POINTER_SIZE * 2 * i, role);
            chat.setPointer((long) Native.POINTER_SIZE * (2 * i + 1), content);
            textBytes += (int) content.size();
        }
        byte[] buf = new byte[2 * textBytes + 1024];
        int len = LlamaLibrary.llama_chat_apply_template(template, chat, n, (byte) (addAssistant ? 1 : 0), buf, buf.length);
        if (len > buf.length) {
            buf = new byte[len];
            len = LlamaLibrary.llama_chat_apply_template(template, chat, n, (byte) (addAssistant ? 1 : 0), buf, buf.length);
        }
        keep.clear();
        if (len < 0) {
            return null;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }
}
