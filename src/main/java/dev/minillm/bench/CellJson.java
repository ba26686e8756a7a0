package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.PrettyJson;
import dev.minillm.metrics.Stats;

/** Builds cell result documents (docs/cell-schema.md, schema_version 1). */
public final class CellJson {
    public static final int SCHEMA_VERSION = 1;
    static final ObjectMapper MAPPER = PrettyJson.mapper();

    private CellJson() {
    }

    /** The fields every result has, whatever its status. */
    public static ObjectNode base(CellSpec spec, String status, String reason) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("status", status);
        root.put("reason", reason);
        ObjectNode cell = root.putObject("cell");
        cell.put("id", spec.id());
        cell.put("model", spec.model());
        cell.put("variant", spec.variant());
        cell.put("backend", spec.backend());
        cell.put("engine", dev.minillm.engine.Engines.idSegment(spec.engineOrDefault()));
        cell.put("model_path", spec.modelPath());
        ObjectNode s = cell.putObject("settings");
        s.put("threads", spec.threads());
        s.put("ctx", spec.ctx());
        s.put("batch", spec.batch());
        s.put("n_predict", spec.nPredict());
        s.put("repetitions", spec.repetitions());
        s.put("warmup", spec.warmup());
        s.put("gpu_layers", spec.gpuLayers());
        s.put("prompts_file", spec.promptsFile());
        s.put("prompt_count", spec.prompts().size());
        s.put("sampler", "greedy");
        s.put("ignore_eos", true);
        s.put("timeout_s", spec.timeoutS());
        s.put("wrapper", spec.wrapper());
        s.put("quality", spec.quality());
        if (spec.speculative() != null) {
            s.put("draft_model", spec.speculative().draftPath());
            s.put("draft_variant", spec.speculative().draftVariant());
            s.put("draft_max", spec.speculative().draftMax());
        }
        root.putNull("quality");
        return root;
    }

    /** The engine's identity: which llama.cpp, backends, CPU variant and devices measured the cell. */
    public static void putEngine(ObjectNode doc, dev.minillm.engine.EngineIdentity id) {
        ObjectNode e = doc.putObject("engine");
        e.put("name", id.name());
        e.put("label", id.label());
        e.put("location", id.location());
        e.put("llama_cpp_tag", id.llamaTag());
        e.put("llama_cpp_commit", id.llamaCommit());
        e.put("variant", id.variant());
        id.backends().forEach(e.putArray("backends")::add);
        e.put("cpu_variant", id.cpuVariant());
        id.devices().forEach(e.putArray("devices")::add);
        id.gpuDevices().forEach(e.putArray("gpu_devices")::add);
        e.put("system_info", id.systemInfo());
    }

    /** A Stat object; NaN and infinities become null so the JSON stays valid. */
    public static ObjectNode stat(Stats st) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("n", st.n());
        num(o, "mean", st.mean());
        num(o, "median", st.median());
        num(o, "stddev", st.stddev());
        num(o, "min", st.min());
        num(o, "max", st.max());
        num(o, "cv", st.cv());
        return o;
    }

    public static void num(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    public static byte[] bytes(JsonNode doc) {
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
