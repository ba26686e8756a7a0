package dev.minillm.quant;

import dev.minillm.gguf.DecodeTraffic;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.TensorInfo;
import dev.minillm.gguf.synth.ModelShape;
import java.util.ArrayList;
import java.util.List;

/**
 * A model that was not written: a built-in shape quantized to a mix, with the tensor types
 * minillm's quantizer would give it (llama.cpp's per-tensor rules), so its size and the bytes a
 * decoded token reads are known exactly without a file.
 *
 * @param tensorBytes sum of the planned tensor sizes (the file is this plus a small header)
 */
public record PlannedModel(ModelShape shape, QuantType quant, long parameters, long tensorBytes, DecodeTraffic traffic) {

    public static PlannedModel of(ModelShape shape, QuantType quant) {
        List<TensorInfo> source = new ArrayList<>();
        for (ModelShape.TensorSpec t : shape.tensors()) {
            source.add(new TensorInfo(t.name(), t.dims(), t.type().id(), t.type(), 0));
        }
        int gqa = shape.kvHeads() == 0 ? 0 : shape.heads() / shape.kvHeads();
        ModelHparams hp = new ModelHparams(shape.architecture(), shape.layers(), gqa, 0, false);
        List<TensorInfo> planned = new ArrayList<>();
        long bytes = 0;
        long params = 0;
        for (TensorTypeRules.Decision d : TensorTypeRules.plan(source, hp, quant)) {
            TensorInfo t = new TensorInfo(d.name(), d.tensor().dims(), d.type().id(), d.type(), 0);
            planned.add(t);
            bytes += t.byteSize();
            params += t.elementCount();
        }
        DecodeTraffic traffic = DecodeTraffic.of(planned, shape.layers(), shape.kvDim(), GgmlType.F16, GgmlType.F16);
        return new PlannedModel(shape, quant, params, bytes, traffic);
    }
}
