package dev.minillm.gguf.synth;

import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufValue;
import dev.minillm.gguf.GgufWriter;
import dev.minillm.gguf.Half;
import dev.minillm.gguf.LlamaFileType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Writes synthetic, shape-exact F16 models: real architectures and tensor shapes, deterministic
 * random weights (normal, std 0.02; norms 1.0), a generated tokenizer of the real vocabulary
 * size. They run through llama.cpp at the real model's speed and memory, but their output is
 * meaningless: never use them for quality numbers. Marked with {@code minillm.synthetic = true}.
 *
 * <p>Heap use is bounded (one 1 MiB buffer plus the tokenizer strings): tensors are generated
 * while they are written.
 */
public final class SyntheticModels {
    public static final float WEIGHT_STD = 0.02f;
    private static final int CHUNK_ELEMENTS = 1 << 19; // 1 MiB of F16 per write
    // 64K standard-normal samples as F16, scaled to WEIGHT_STD; 16 random bits pick one.
    private static final short[] NORMAL_F16 = normalTable();

    private SyntheticModels() {
    }

    /** Writes the model atomically; returns the file size in bytes. */
    public static long write(ModelShape shape, Path target, long seed) throws IOException {
        return write(shape, target, seed, bytes -> { });
    }

    /** As {@link #write(ModelShape, Path, long)}, reporting tensor bytes written so far. */
    public static long write(ModelShape shape, Path target, long seed, LongConsumer progress) throws IOException {
        GgufWriter w = new GgufWriter(metadata(shape, seed)).onProgress(progress);
        for (ModelShape.TensorSpec t : shape.tensors()) {
            w.addTensor(t.name(), t.type(), t.dims(), source(shape, t, seed));
        }
        return w.write(target);
    }

    /** The metadata a synthetic model of this shape carries (hyper-parameters, tokenizer, markers). */
    public static GgufMetadata metadata(ModelShape s, long seed) {
        String a = s.architecture();
        GgufMetadata m = new GgufMetadata();
        m.putString("general.architecture", a);
        m.putString("general.type", "model");
        m.putString(GgufMetadata.NAME, "synthetic " + s.id());
        m.putUint32(GgufMetadata.FILE_TYPE, LlamaFileType.MOSTLY_F16.id());
        m.putUint32(GgufMetadata.QUANTIZATION_VERSION, 2);
        m.putBool(GgufMetadata.SYNTHETIC, true);
        m.putString("minillm.synthetic.shape", s.id());
        m.put("minillm.synthetic.seed", GgufValue.uint64(seed));
        m.putUint32(a + ".block_count", s.layers());
        m.putUint32(a + ".context_length", s.contextLength());
        m.putUint32(a + ".embedding_length", s.embedding());
        m.putUint32(a + ".feed_forward_length", s.feedForward());
        m.putUint32(a + ".attention.head_count", s.heads());
        m.putUint32(a + ".attention.head_count_kv", s.kvHeads());
        m.putFloat32(a + ".rope.freq_base", s.ropeFreqBase());
        m.putFloat32(a + ".attention.layer_norm_rms_epsilon", s.rmsEps());
        m.putUint32(a + ".rope.dimension_count", s.headDim());
        if (s.headDimension() > 0) {
            m.putUint32(a + ".attention.key_length", s.headDim());
            m.putUint32(a + ".attention.value_length", s.headDim());
        }
        m.putUint32(a + ".vocab_size", s.vocab());
        SyntheticVocab.addTo(m, s.vocab());
        return m;
    }

    private static GgufWriter.TensorSource source(ModelShape shape, ModelShape.TensorSpec t, long seed) {
        long n = t.elements();
        if (t.type() == GgmlType.F16) {
            return out -> writeNormalF16(out, n, new SplitMix64(SplitMix64.seedFor(seed, t.name())));
        }
        float[] v = new float[(int) n];
        if (t.isNorm()) {
            java.util.Arrays.fill(v, 1.0f);
        } else if (t.name().equals("rope_freqs.weight")) {
            v = llama3RopeFactors(shape);
        } else { // biases
            SplitMix64 r = new SplitMix64(SplitMix64.seedFor(seed, t.name()));
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * WEIGHT_STD);
            }
        }
        float[] values = v;
        return out -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            out.write(b);
        };
    }

    private static void writeNormalF16(WritableByteChannel out, long n, SplitMix64 rng) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 2).order(ByteOrder.LITTLE_ENDIAN);
        short[] t = NORMAL_F16;
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(left, CHUNK_ELEMENTS);
            int i = 0;
            // One 64-bit random word picks four table entries, stored as one little-endian long.
            for (; i + 4 <= k; i += 4) {
                long r = rng.next();
                long packed = (t[(int) (r & 0xFFFF)] & 0xFFFFL)
                        | (t[(int) ((r >>> 16) & 0xFFFF)] & 0xFFFFL) << 16
                        | (t[(int) ((r >>> 32) & 0xFFFF)] & 0xFFFFL) << 32
                        | (t[(int) (r >>> 48)] & 0xFFFFL) << 48;
                buf.putLong(i * 2, packed);
            }
            for (; i < k; i++) {
                buf.putShort(i * 2, t[(int) (rng.next() & 0xFFFF)]);
            }
            buf.position(0).limit(k * 2);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
            left -= k;
        }
    }

    private static short[] normalTable() {
        SplitMix64 r = new SplitMix64(0x5EEDF16L);
        short[] t = new short[1 << 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = Half.fromFloat((float) (r.nextGaussian() * WEIGHT_STD));
        }
        return t;
    }

    /**
     * Per-frequency RoPE divisors for llama3 scaling, as convert_hf_to_gguf.py stores them in
     * rope_freqs.weight: 1 for high frequencies, the full factor for low ones, smooth in between.
     */
    static float[] llama3RopeFactors(ModelShape s) {
        ModelShape.Llama3Rope r = s.llama3Rope();
        int dim = s.headDim();
        float[] f = new float[dim / 2];
        double lowFreqWavelen = r.originalContext() / r.lowFreqFactor();
        double highFreqWavelen = r.originalContext() / r.highFreqFactor();
        for (int i = 0; i < f.length; i++) {
            double freq = 1.0 / Math.pow(s.ropeFreqBase(), (2.0 * i) / dim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highFreqWavelen) {
                f[i] = 1f;
            } else if (wavelen > lowFreqWavelen) {
                f[i] = (float) r.factor();
            } else {
                double smooth = (r.originalContext() / wavelen - r.lowFreqFactor()) / (r.highFreqFactor() - r.lowFreqFactor());
                f[i] = (float) (1.0 / ((1 - smooth) / r.factor() + smooth));
            }
        }
        return f;
    }
}
