package dev.minillm.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The baseline model's next-token distributions over the scored positions of the evaluation
 * text, saved once so that every variant is compared against it without reloading the baseline.
 *
 * <p>Per position it keeps the baseline's top-K token ids with their log-probabilities (float32)
 * and the log of the probability mass outside the top K. KL divergence computed from this record
 * merges the tail into one bin; by the log-sum inequality that is never more than the exact KL
 * (a lower bound) and equals it when K covers the vocabulary. Size: positions x (8K + 4) bytes,
 * e.g. 4,080 positions x K=32 = 1.1 MB, independent of the vocabulary (a full uint16 log-softmax
 * as llama-perplexity stores it would take 1.2 GB for a 150k vocabulary).
 *
 * <p>File layout: the ASCII magic "MINILLM-KLD\n", a big-endian int header length, the JSON
 * header, then the arrays little-endian: ids (int32, positions x K), log-probs (float32,
 * positions x K), tail log-mass (float32, positions).
 */
public final class BaselineRecord {
    static final String MAGIC = "MINILLM-KLD\n";
    public static final int FORMAT_VERSION = 1;

    /** What the record was made from; a record is reused only when all of it matches. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Header(
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("model_file") String modelFile,
            @JsonProperty("model_bytes") long modelBytes,
            @JsonProperty("model_mtime_ms") long modelMtimeMs,
            @JsonProperty("variant") String variant,
            @JsonProperty("ctx") int ctx,
            @JsonProperty("max_chunks") int maxChunks,
            @JsonProperty("top_k") int topK,
            @JsonProperty("n_vocab") int nVocab,
            @JsonProperty("text") String text,
            @JsonProperty("text_sha256") String textSha256,
            @JsonProperty("tokens_sha256") String tokensSha256,
            @JsonProperty("positions") int positions,
            @JsonProperty("ppl") double ppl,
            @JsonProperty("ppl_stderr") double pplStderr,
            @JsonProperty("greedy_prompts_sha256") String greedyPromptsSha256,
            @JsonProperty("greedy_n_predict") int greedyNPredict,
            @JsonProperty("greedy_continuations") int[][] greedyContinuations,
            @JsonProperty("created_utc") String createdUtc) {

        Header withResults(double ppl, double pplStderr, int[][] continuations) {
            return new Header(formatVersion, modelFile, modelBytes, modelMtimeMs, variant, ctx, maxChunks, topK, nVocab, text, textSha256,
                    tokensSha256, positions, ppl, pplStderr, greedyPromptsSha256, greedyNPredict, continuations, createdUtc);
        }

        /** True when this record was made for the same baseline file, text and settings. */
        boolean matches(Header want) {
            return formatVersion == want.formatVersion && modelBytes == want.modelBytes && modelMtimeMs == want.modelMtimeMs
                    && java.util.Objects.equals(modelFile, want.modelFile) && ctx == want.ctx && maxChunks == want.maxChunks && topK == want.topK
                    && java.util.Objects.equals(textSha256, want.textSha256)
                    && java.util.Objects.equals(greedyPromptsSha256, want.greedyPromptsSha256)
                    && greedyNPredict == want.greedyNPredict;
        }
    }

    private Header header;
    private final int k;
    private final int[] ids;
    private final float[] logProbs;
    private final float[] tailLogMass;

    private BaselineRecord(Header header, int[] ids, float[] logProbs, float[] tailLogMass) {
        this.header = header;
        this.k = header.topK();
        this.ids = ids;
        this.logProbs = logProbs;
        this.tailLogMass = tailLogMass;
    }

    /** An empty record to be filled position by position with {@link #record}. */
    static BaselineRecord create(Header header) {
        int n = header.positions();
        int k = header.topK();
        return new BaselineRecord(header, new int[n * k], new float[n * k], new float[n]);
    }

    public Header header() {
        return header;
    }

    void setHeader(Header h) {
        this.header = h;
    }

    public int positions() {
        return tailLogMass.length;
    }

    public int topK() {
        return k;
    }

    /** Stores the baseline distribution at {@code position}. */
    void record(int position, double[] lp) {
        int[] top = LogProbs.topK(lp, k);
        boolean[] inTop = new boolean[lp.length];
        for (int j = 0; j < top.length; j++) {
            ids[position * k + j] = top[j];
            logProbs[position * k + j] = (float) lp[top[j]];
            inTop[top[j]] = true;
        }
        tailLogMass[position] = (float) logMassOutside(lp, inTop);
    }

    /** log of the total probability of the tokens not marked, summed directly (no 1 - x cancellation). */
    static double logMassOutside(double[] lp, boolean[] marked) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < lp.length; i++) {
            if (!marked[i]) {
                max = Math.max(max, lp[i]);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < lp.length; i++) {
            if (!marked[i]) {
                sum += Math.exp(lp[i] - max);
            }
        }
        return max + Math.log(sum);
    }

    /** The baseline's most likely token at {@code position}. */
    int top1(int position) {
        return ids[position * k];
    }

    /**
     * KL(baseline || variant) at {@code position}, with the baseline's tail beyond its top K merged
     * into one bin on both sides (a lower bound of the exact KL; exact when K = vocabulary).
     */
    double klDivergence(int position, double[] variantLp) {
        boolean[] inTop = new boolean[variantLp.length];
        double kl = 0;
        for (int j = 0; j < k; j++) {
            int id = ids[position * k + j];
            double lp = logProbs[position * k + j];
            inTop[id] = true;
            kl += Math.exp(lp) * (lp - variantLp[id]);
        }
        double tailP = tailLogMass[position];
        if (tailP != Double.NEGATIVE_INFINITY) {
            double tailQ = logMassOutside(variantLp, inTop);
            kl += Math.exp(tailP) * (tailP - tailQ);
        }
        return Math.max(kl, 0);
    }

    public void write(Path file) {
        try {
            byte[] json = new ObjectMapper().writeValueAsBytes(header);
            AtomicFiles.write(file, out -> {
                DataOutputStream data = new DataOutputStream(out);
                data.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
                data.writeInt(json.length);
                data.write(json);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : ids) {
                    flushIfFull(buf, data, 4);
                    buf.putInt(v);
                }
                for (float v : logProbs) {
                    flushIfFull(buf, data, 4);
                    buf.putFloat(v);
                }
                for (float v : tailLogMass) {
                    flushIfFull(buf, data, 4);
                    buf.putFloat(v);
                }
                data.write(buf.array(), 0, buf.position());
                data.flush();
            });
        } catch (IOException e) {
            throw new RunFailedException(file + ": cannot write the baseline record: " + e.getMessage(), e);
        }
    }

    private static void flushIfFull(ByteBuffer buf, DataOutputStream out, int need) throws IOException {
        if (buf.remaining() < need) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
    }

    /** Reads a record; null when the file does not exist. */
    public static BaselineRecord read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = in.readNBytes(MAGIC.length());
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new BadInputException(file + ": not a minillm baseline record (bad magic)");
            }
            int len = in.readInt();
            if (len <= 0 || len > (64 << 20)) {
                throw new BadInputException(file + ": corrupt baseline record header length " + len);
            }
            Header h = new ObjectMapper().readValue(in.readNBytes(len), Header.class);
            int n = h.positions();
            int k = h.topK();
            byte[] body = in.readAllBytes();
            long expected = 4L * n * k * 2 + 4L * n;
            if (body.length != expected) {
                throw new BadInputException(file + ": truncated baseline record (" + body.length + " of " + expected + " data bytes)");
            }
            ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
            int[] ids = new int[n * k];
            float[] lps = new float[n * k];
            float[] tail = new float[n];
            b.asIntBuffer().get(ids);
            b.position(4 * n * k);
            b.asFloatBuffer().get(lps);
            b.position(8 * n * k);
            b.asFloatBuffer().get(tail);
            return new BaselineRecord(h, ids, lps, tail);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the baseline record: " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] data) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(data);
            StringBuilder sb = new StringBuilder();
            for (byte x : d) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(int[] tokens) {
        ByteBuffer b = ByteBuffer.allocate(tokens.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(tokens);
        return sha256(b.array());
    }

    @Override
    public String toString() {
        return "BaselineRecord" + Arrays.asList(header.modelFile(), header.positions(), header.topK());
    }
}
