package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.quant.QuantType;
import dev.minillm.report.CellReader;
import dev.minillm.report.CellResult;
import dev.minillm.report.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** minillm predict: decode speed and RAM of shapes and variants not run, from this machine's measured cells. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts decode tok/s and peak RAM for a built-in shape and quantization that were not run, "
                + "from the cells measured on this machine (results/raw): time per token = overhead + bytes per token "
                + "÷ effective bandwidth, fitted to those cells. Every figure is labelled predicted, with the model used."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--shape", paramLabel = "LIST",
            description = "Built-in shape(s) as 'minillm synth --shape' names them (e.g. qwen2.5-3b), comma-separated, or all.")
    String shapes;

    @Option(names = "--model", paramLabel = "FILE", description = "A GGUF file to predict (repeatable), instead of or beside --shape.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--quant", paramLabel = "LIST", defaultValue = "q4_k_m",
            description = "Quantization(s), comma-separated (default: ${DEFAULT-VALUE}).")
    String quants;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory whose cells the model is fitted to (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--fit-on", paramLabel = "MODEL",
            description = "Fit only to the cells of this model (results/raw/<MODEL>); default: every usable cell of the machine.")
    String fitOn;

    @Option(names = "--backend", paramLabel = "cpu|gpu", defaultValue = "cpu", description = "Backend of the cells to fit to (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--ctx", paramLabel = "N",
            description = "Context size the predicted RAM allocates its KV cache for (default: the fitted cells' --ctx).")
    Integer ctx;

    @Option(names = "--depth", paramLabel = "N", description = "KV depth of the predicted decode (default: the fitted cells' mean depth).")
    Double depth;

    @Option(names = "--json", description = "Print the prediction as JSON (the same object as the report's summary.json \"predicted\").")
    boolean json;

    @Override
    public Integer call() {
        if (shapes == null && files.isEmpty()) {
            throw new BadInputException("predict: give --shape (e.g. --shape qwen2.5-3b --quant q4_k_m) or --model FILE");
        }
        if (ctx != null && ctx < 1) {
            throw new BadInputException("--ctx must be at least 1, not " + ctx);
        }
        if (depth != null && !(depth >= 0)) {
            throw new BadInputException("--depth must be 0 or more, not " + depth);
        }
        List<ModelShape> shapeList = new ArrayList<>();
        for (String s : shapes == null ? new String[0] : shapes.split(",")) {
            if (s.strip().equalsIgnoreCase("all")) {
                shapeList = new ArrayList<>(ModelShape.all());
                break;
            }
            shapeList.add(ModelShape.byId(s.strip()));
        }
        List<QuantType> quantList = new ArrayList<>();
        for (String q : quants.split(",")) {
            quantList.add(QuantType.parse(q.strip()));
        }
        CellReader.Loaded loaded = CellReader.readAll(List.of(results));
        List<CellResult> cells = loaded.cells().stream().filter(c -> fitOn == null || fitOn.equals(c.model())).toList();
        if (fitOn != null && cells.isEmpty()) {
            throw new BadInputException(results + ": no cells of model '" + fitOn + "'");
        }
        Prediction.Model model = Prediction.fit(cells, null, backend);
        List<Prediction.Predicted> rows = new ArrayList<>();
        for (Path f : files) {
            rows.add(Prediction.predict(model, f, depth, ctx));
        }
        for (ModelShape s : shapeList) {
            for (QuantType q : quantList) {
                rows.add(Prediction.predict(model, s, q, depth, ctx));
            }
        }
        if (json) {
            System.out.println(EvalCommand.toJson(Prediction.toJson(new Prediction.Table(model, rows))));
        } else {
            System.out.print(Prediction.markdown(model, rows));
        }
        System.out.flush();
        return Main.EXIT_OK;
    }
}
