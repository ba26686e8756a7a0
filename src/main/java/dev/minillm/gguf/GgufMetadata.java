package dev.minillm.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Mutable, so that a copy of a read file's
 * metadata can be edited before writing ({@code file.metadata().copy().put(...)}).
 */
public final class GgufMetadata {
    public static final String ARCHITECTURE = "general.architecture";
    public static final String ALIGNMENT = "general.alignment";
    public static final String NAME = "general.name";
    public static final String FILE_TYPE = "general.file_type";
    public static final String QUANTIZATION_VERSION = "general.quantization_version";
    public static final String TOKENS = "tokenizer.ggml.tokens";
    /** Set to true by {@code minillm synth} on generated models. */
    public static final String SYNTHETIC = "minillm.synthetic";

    private final LinkedHashMap<String, GgufValue> entries = new LinkedHashMap<>();

    public GgufMetadata() {
    }

    /** A deep-enough copy: values are immutable, so copying the map suffices. */
    public GgufMetadata copy() {
        GgufMetadata m = new GgufMetadata();
        m.entries.putAll(entries);
        return m;
    }

    /** Sets a key (keeps its position if present, appends otherwise). */
    public GgufMetadata put(String key, GgufValue value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("metadata key must not be empty");
        }
        entries.put(key, java.util.Objects.requireNonNull(value));
        return this;
    }

    public GgufMetadata putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufMetadata putUint32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    public GgufMetadata putFloat32(String key, float value) {
        return put(key, GgufValue.float32(value));
    }

    public GgufMetadata putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    public GgufValue remove(String key) {
        return entries.remove(key);
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The value or null. */
    public GgufValue get(String key) {
        return entries.get(key);
    }

    public int size() {
        return entries.size();
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Entries in file order (read-only view). */
    public Map<String, GgufValue> asMap() {
        return Collections.unmodifiableMap(entries);
    }

    /** A string value, empty if absent or not a string. */
    public Optional<String> getString(String key) {
        GgufValue v = entries.get(key);
        return v != null && v.type() == GgufValueType.STRING ? Optional.of(v.asString()) : Optional.empty();
    }

    /**
     * A number, or the first element of a per-layer array (llama.cpp's hparams of layer 0);
     * {@code fallback} when absent, empty or not numeric.
     */
    public long layer0Long(String key, long fallback) {
        GgufValue v = entries.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isArray()) {
            return v.length() == 0 ? fallback : v.longAt(0);
        }
        return v.isNumber() ? v.asLong() : fallback;
    }

    /** An integer value (any integer type), empty if absent or not an integer. */
    public Optional<Long> getLong(String key) {
        GgufValue v = entries.get(key);
        return v != null && v.type().isInteger() ? Optional.of(v.asLong()) : Optional.empty();
    }

    /** A numeric value (integer or float), empty if absent or not numeric. */
    public Optional<Double> getDouble(String key) {
        GgufValue v = entries.get(key);
        return v != null && v.isNumber() ? Optional.of(v.asDouble()) : Optional.empty();
    }

    public Optional<Boolean> getBoolean(String key) {
        GgufValue v = entries.get(key);
        return v != null && v.type() == GgufValueType.BOOL ? Optional.of(v.asBoolean()) : Optional.empty();
    }

    /** The architecture ({@code general.architecture}), empty if absent. */
    public Optional<String> architecture() {
        return getString(ARCHITECTURE);
    }

    /** An architecture-scoped key such as {@code <arch>.context_length}; empty if arch unknown. */
    public Optional<Long> getArchLong(String suffix) {
        return architecture().flatMap(a -> getLong(a + "." + suffix));
    }

    public Optional<Double> getArchDouble(String suffix) {
        return architecture().flatMap(a -> getDouble(a + "." + suffix));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufMetadata && entries.equals(((GgufMetadata) o).entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "GgufMetadata" + entries.keySet();
    }
}
