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

    /** ggml tensor type names by id (ggml.h), for the dominant-type fallback. */
    private static final Map<Integer, String> TENSOR_TYPES = Map.ofEntries(Map.entry(0, "F32"), Map.entry(1, "F16"),
            Map.entry(2, "Q4_0"), Map.entry(3, "Q4_1"), Map.entry(6, "Q5_0"), Map.entry(7, "Q5_1"), Map.entry(8, "Q8_0"),
            Map.entry(10, "Q2_K"), Map.entry(11, "Q3_K"), Map.entry(12, "Q4_K"), Map.entry(13, "Q5_K"),
            Map.entry(14, "Q6_K"), Map.entry(30, "BF16"));

    private final Map<String, Object> values;
    private final int dominantTensorType;

    private GgufMeta(Map<String, Object> values, int dominantTensorType) {
        this.values = values;
        this.dominantTensorType = dominantTensorType;
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
            long tensorCount = Long.reverseBytes(in.readLong());
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
            // Tensor infos: tally elements per storage type to name files that carry no file_type.
            Map<Integer, Long> elementsByType = new java.util.HashMap<>();
            for (long i = 0; i < tensorCount; i++) {
                readString(in);
                int dims = Integer.reverseBytes(in.readInt());
                long n = 1;
                for (int d = 0; d < dims; d++) {
                    n *= Long.reverseBytes(in.readLong());
                }
                int type = Integer.reverseBytes(in.readInt());
                Long.reverseBytes(in.readLong());
                elementsByType.merge(type, n, Long::sum);
            }
            int dominant = elementsByType.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse(-1);
            return new GgufMeta(values, dominant);
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

    /**
     * llama.cpp's name of general.file_type (F16, Q4_K_M, ...); without one, the tensor type that
     * holds most elements; null when neither is known.
     */
    public String fileTypeName() {
        Object v = values.get("general.file_type");
        if (v instanceof Number n) {
            int t = n.intValue() & 0x7fff; // high bit marks a "guessed" file type in llama.cpp
            if (t < FILE_TYPES.length && FILE_TYPES[t] != null) {
                return FILE_TYPES[t];
            }
        }
        // No (known) file type: name the storage type holding most of the weights.
        return TENSOR_TYPES.get(dominantTensorType);
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
