package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scalar metadata of a GGUF file header (arrays such as the vocabulary are skipped). Just
 * enough to decide whether a file carries synthetic weights and what its file type is, without
 * loading the model.
 */
public final class GgufMeta {
    public static final String SYNTHETIC_KEY = "minillm.synthetic";

    private static final String[] FILE_TYPES = new String[40];

    static {
        String[][] names = {{"0", "F32"}, {"1", "F16"}, {"2", "Q4_0"}, {"3", "Q4_1"}, {"7", "Q8_0"}, {"8", "Q5_0"},
                {"9", "Q5_1"}, {"10", "Q2_K"}, {"11", "Q3_K_S"}, {"12", "Q3_K_M"}, {"13", "Q3_K_L"}, {"14", "Q4_K_S"},
                {"15", "Q4_K_M"}, {"16", "Q5_K_S"}, {"17", "Q5_K_M"}, {"18", "Q6_K"}, {"19", "IQ2_XXS"}, {"20", "IQ2_XS"},
                {"21", "Q2_K_S"}, {"22", "IQ3_XS"}, {"23", "IQ3_XXS"}, {"24", "IQ1_S"}, {"25", "IQ4_NL"}, {"26", "IQ3_S"},
                {"27", "IQ3_M"}, {"28", "IQ2_S"}, {"29", "IQ2_M"}, {"30", "IQ4_XS"}, {"31", "IQ1_M"}, {"32", "BF16"},
                {"36", "TQ1_0"}, {"37", "TQ2_0"}};
        for (String[] n : names) {
            FILE_TYPES[Integer.parseInt(n[0])] = n[1];
        }
    }

    private final Map<String, Object> values;

    private GgufMeta(Map<String, Object> values) {
        this.values = values;
    }

    public static GgufMeta read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = in.readNBytes(4);
            if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new BadInputException(file + ": not a GGUF file (bad magic)");
            }
            int version = Integer.reverseBytes(in.readInt());
            if (version < 2 || version > 3) {
                throw new BadInputException(file + ": unsupported GGUF version " + version);
            }
            Long.reverseBytes(in.readLong()); // tensor count, not needed here
            long kvCount = Long.reverseBytes(in.readLong());
            Map<String, Object> values = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = readString(in);
                int type = Integer.reverseBytes(in.readInt());
                Object v = readValue(in, type, file);
                if (v != null) {
                    values.put(key, v);
                }
            }
            return new GgufMeta(values);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (EOFException e) {
            throw new BadInputException(file + ": truncated GGUF header");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    public Object get(String key) {
        return values.get(key);
    }

    /** True when the file says its weights are synthetic (made by 'minillm synth'). */
    public boolean synthetic() {
        Object v = values.get(SYNTHETIC_KEY);
        return v instanceof Boolean b ? b : v instanceof Number n && n.longValue() != 0;
    }

    /** llama.cpp's name of general.file_type (F16, Q4_K_M, ...), or null when absent or unknown. */
    public String fileTypeName() {
        Object v = values.get("general.file_type");
        if (v instanceof Number n) {
            int t = n.intValue() & 0x7fff; // high bit marks a "guessed" file type in llama.cpp
            return t < FILE_TYPES.length ? FILE_TYPES[t] : null;
        }
        return null;
    }

    private static String readString(DataInputStream in) throws IOException {
        long len = Long.reverseBytes(in.readLong());
        if (len < 0 || len > (1 << 24)) {
            throw new IOException("implausible string length " + len);
        }
        return new String(in.readNBytes((int) len), StandardCharsets.UTF_8);
    }

    private static Object readValue(DataInputStream in, int type, Path file) throws IOException {
        switch (type) {
            case 0: return in.readUnsignedByte();
            case 1: return (int) in.readByte();
            case 2: return (int) Short.reverseBytes(in.readShort()) & 0xffff;
            case 3: return (int) Short.reverseBytes(in.readShort());
            case 4: return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            case 5: return Integer.reverseBytes(in.readInt());
            case 6: return Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
            case 7: return in.readByte() != 0;
            case 8: return readString(in);
            case 9: {
                int elemType = Integer.reverseBytes(in.readInt());
                long n = Long.reverseBytes(in.readLong());
                for (long i = 0; i < n; i++) {
                    readValue(in, elemType, file);
                }
                return null;
            }
            case 10:
            case 11: return Long.reverseBytes(in.readLong());
            case 12: return Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
            default: throw new BadInputException(file + ": unknown GGUF value type " + type);
        }
    }
}
