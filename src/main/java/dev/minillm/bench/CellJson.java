package dev.minillm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.metrics.Stats;
import dev.minillm.results.CellRecord;
import dev.minillm.results.CellRecords;
import dev.minillm.results.Stat;
import dev.minillm.results.Status;

/**
 * A cell result as a JSON tree, for code that fills it part by part (the speculative cell); the tree
 * goes back into the typed {@link CellRecord} through {@link CellRecords#fromTree}.
 */
final class CellJson {
    static final ObjectMapper MAPPER = CellRecords.mapper();

    private CellJson() {
    }

    /** The fields every result has, whatever its status. */
    static ObjectNode base(CellSpec spec, String status, String reason) {
        return (ObjectNode) CellRecords.toTree(CellRecord.unmeasured(Status.parse(status), reason, spec.cell(), spec.measure().engine()));
    }

    /** A Stat object; NaN and infinities become null so the JSON stays valid. */
    static ObjectNode stat(Stats st) {
        return MAPPER.valueToTree(Stat.of(st));
    }

    static void num(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }
}
