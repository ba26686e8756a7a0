package dev.minillm.cli;

import dev.minillm.common.BadInputException;
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

    @Override
    public Integer call() {
        Manifest manifest = manifestPath != null ? Manifest.load(manifestPath) : Manifest.loadDefault();
        if (list) {
            printList(manifest);
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
        for (Downloader.Result r : downloader.fetchAll(items)) {
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
