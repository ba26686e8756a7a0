package dev.minillm.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.BadInputException;
import dev.minillm.common.PrettyJson;
import dev.minillm.download.DownloadItem;
import dev.minillm.download.Downloader;
import dev.minillm.download.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minillm download}: fetch GGUF variants listed in models/manifest.json. */
@Command(name = "download",
        description = {"Download GGUF variants (and the wikitext-2 test text) listed in models/manifest.json "
                + "from the Hugging Face hub into models/<model-id>/: resumable, sha256-verified, atomic.",
                "Example: minillm download --model qwen2.5-0.5b-instruct --quant q4_k_m,q5_k_m,f16"},
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class DownloadCommand implements Callable<Integer> {

    @Option(names = "--model", split = ",", paramLabel = "ID", description = "Model id(s) from the manifest (see --list).")
    List<String> models = new ArrayList<>();

    @Option(names = "--quant", split = ",", paramLabel = "QUANT",
            description = "Quant name(s), case-insensitive (q4_k_m, Q8_0, f16 = fp16), or 'all'.")
    List<String> quants = new ArrayList<>();

    @Option(names = "--dataset", split = ",", paramLabel = "ID",
            description = "Dataset id(s) from the manifest, e.g. wikitext-2-raw (perplexity text).")
    List<String> datasets = new ArrayList<>();

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
            description = "Where files land, as DIR/<model-id>/<file> (default: ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Manifest to read (default: models/manifest.json when present, else the one packed in the jar).")
    Path manifestPath;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Hub or mirror; files are fetched from <URL>/<repo>/resolve/<revision>/<file> "
                    + "(default: $" + Downloader.BASE_URL_ENV + ", else $HF_ENDPOINT, else " + Downloader.DEFAULT_BASE_URL + ").")
    String baseUrl;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "5",
            description = "Tries per file on a cut connection, timeout or 5xx; each retry resumes (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--dry-run", description = "Show what would be fetched, from where, to where; fetch nothing.")
    boolean dryRun;

    @Option(names = "--list", description = "Show the models, quants and datasets in the manifest.")
    boolean list;

    @Option(names = "--json", description = "Print the result as JSON: the files fetched (path, size, sha256, whether downloaded "
            + "or already present), with --dry-run the plan, with --list the manifest.")
    boolean json;

    @Override
    public Integer call() {
        Manifest manifest = manifestPath != null ? Manifest.load(manifestPath) : Manifest.loadDefault();
        if (list) {
            if (json) {
                EvalCommand.printJson(listJson(manifest));
            } else {
                printList(manifest);
            }
            return Main.EXIT_OK;
        }
        if (models.isEmpty() && datasets.isEmpty()) {
            throw new BadInputException("nothing to download: give --model ID --quant LIST, --dataset ID, or --list");
        }
        if (models.isEmpty() && !quants.isEmpty()) {
            throw new BadInputException("--quant needs --model");
        }
        List<DownloadItem> items = new ArrayList<>(manifest.select(models, quants));
        for (String d : datasets) {
            items.add(manifest.dataset(d));
        }
        Downloader.Builder b = Downloader.builder().modelsDir(modelsDir).attempts(attempts);
        if (baseUrl != null) {
            b.baseUrl(baseUrl);
        }
        Downloader downloader = b.build();
        if (dryRun && json) {
            ArrayNode plans = PrettyJson.mapper().createArrayNode();
            for (DownloadItem item : items) {
                Downloader.Plan p = downloader.plan(item);
                plans.addObject().put("item", item.label()).put("url", p.url().toString()).put("target", p.target().toAbsolutePath().toString())
                        .put("state", p.state()).put("size", item.size()).put("expected_sha256", p.expectedSha())
                        .put("sha_source", p.shaSource());
            }
            EvalCommand.printJson(plans);
            return Main.EXIT_OK;
        }
        if (dryRun) {
            for (DownloadItem item : items) {
                Downloader.Plan p = downloader.plan(item);
                System.out.printf(Locale.ROOT, "%-34s %-9s %s%n", item.label(), approx(item), p.url());
                System.out.printf(Locale.ROOT, "%-34s %-9s -> %s [%s; sha256 %s]%n", "", "", shown(p.target()), p.state(),
                        p.expectedSha() == null ? "unknown, recorded on first download" : "from " + p.shaSource());
            }
            System.out.flush();
            return Main.EXIT_OK;
        }
        List<Downloader.Result> results = downloader.fetchAll(items);
        if (json) {
            ArrayNode files = PrettyJson.mapper().createArrayNode();
            for (Downloader.Result r : results) {
                files.addObject().put("item", r.item().label()).put("path", r.path().toAbsolutePath().toString())
                        .put("extracted", r.extracted() == null ? null : r.extracted().toAbsolutePath().toString())
                        .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT)).put("size", r.size())
                        .put("fetched_bytes", r.fetched()).put("sha256", r.sha256()).put("sha_source", r.shaSource());
            }
            EvalCommand.printJson(files);
            return Main.EXIT_OK;
        }
        for (Downloader.Result r : results) {
            System.out.println(r.path());
            if (r.extracted() != null) {
                System.out.println(r.extracted());
            }
        }
        System.out.flush();
        return Main.EXIT_OK;
    }

    private static void printList(Manifest manifest) {
        System.out.println("Models (minillm download --model ID --quant Q1,Q2 | all):");
        for (Manifest.Model m : manifest.models()) {
            System.out.printf(Locale.ROOT, "  %-26s %s%n", m.id(), m.repo());
            for (Manifest.FileEntry f : m.files()) {
                System.out.printf(Locale.ROOT, "    %-8s %-9s %-8s %s%s%n", f.quant(),
                        approx(f.size(), f.approxMb()), f.sha256() == null ? "sha:lock" : "sha:known", f.file(),
                        Manifest.DEFAULT_REVISION.equals(f.revision()) ? "" : " @" + f.revision().substring(0, Math.min(12, f.revision().length())));
            }
        }
        if (!manifest.datasets().isEmpty()) {
            System.out.println("Datasets (minillm download --dataset ID):");
            for (Manifest.Dataset d : manifest.datasets()) {
                System.out.printf(Locale.ROOT, "  %-26s %s%s%s%n", d.id(),
                        d.url() != null ? d.url() : d.repo() + "/" + (d.path() != null ? d.path() : d.file()),
                        d.extract() == null ? "" : " -> " + d.extract(), d.sha256() == null ? "  (sha:lock)" : "");
            }
        }
        System.out.flush();
    }

    /** The manifest as --list --json prints it. */
    private static ObjectNode listJson(Manifest manifest) {
        ObjectNode root = PrettyJson.mapper().createObjectNode();
        ArrayNode models = root.putArray("models");
        for (Manifest.Model m : manifest.models()) {
            ObjectNode mn = models.addObject().put("id", m.id()).put("name", m.name()).put("repo", m.repo()).put("license", m.license());
            ArrayNode files = mn.putArray("files");
            for (Manifest.FileEntry f : m.files()) {
                files.addObject().put("quant", f.quant()).put("file", f.file()).put("revision", f.revision()).put("size", f.size())
                        .put("approx_mb", f.approxMb()).put("sha256", f.sha256());
            }
        }
        ArrayNode datasets = root.putArray("datasets");
        for (Manifest.Dataset d : manifest.datasets()) {
            datasets.addObject().put("id", d.id()).put("description", d.description()).put("repo", d.repo())
                    .put("file", d.file() != null ? d.file() : d.path()).put("url", d.url()).put("extract", d.extract())
                    .put("size", d.size()).put("sha256", d.sha256());
        }
        return root;
    }

    /** Relative to the working directory when below it, which is the usual case (models/...). */
    private static String shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static String approx(DownloadItem item) {
        return approx(item.size(), item.approxMb());
    }

    private static String approx(Long size, Double approxMb) {
        if (size != null) {
            return String.format(Locale.ROOT, "%.0fMB", size / 1e6);
        }
        return approxMb == null ? "?" : String.format(Locale.ROOT, "~%.0fMB", approxMb);
    }
}
