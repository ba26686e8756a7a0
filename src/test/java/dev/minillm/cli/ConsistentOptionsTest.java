package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Options that mean the same thing are spelled the same way, and help and errors read right. */
class ConsistentOptionsTest {
    static final String STORIES = TestModel.STORIES.toString();

    @TempDir
    Path tmp;

    static List<CommandLine> allCommands() {
        List<CommandLine> out = new ArrayList<>();
        collect(new CommandLine(new Main()), out);
        return out;
    }

    private static void collect(CommandLine c, List<CommandLine> out) {
        out.add(c);
        c.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, out));
    }

    @Test
    void helpShowsNoFieldNamesAsPlaceholders() {
        Pattern camel = Pattern.compile("<[a-z]+[A-Z][A-Za-z]*>");
        for (CommandLine c : allCommands()) {
            Matcher m = camel.matcher(c.getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertFalse(m.find(), c.getCommandSpec().qualifiedName() + " shows " + (m.hitEnd() ? "" : m.group()));
        }
    }

    @Test
    void sameOptionSameDescriptionAndOldSpellingsHidden() {
        // One meaning per name: every command that takes --threads or --model FILE describes it alike
        // (bench's --model is repeatable and its --threads is a sweep list, so it is left out).
        Map<String, List<String>> descriptions = new TreeMap<>();
        for (CommandLine c : allCommands()) {
            CommandSpec spec = c.getCommandSpec();
            if (spec.name().equals("bench")) {
                continue;
            }
            for (String name : List.of("--threads")) {
                OptionSpec o = spec.findOption(name);
                if (o != null) {
                    descriptions.computeIfAbsent(name, k -> new ArrayList<>()).add(String.join(" ", o.description()));
                }
            }
            for (OptionSpec o : spec.options()) {
                for (String old : List.of("--in", "--type", "--model-dir", "--reps", "--repeat")) {
                    if (List.of(o.names()).contains(old)) {
                        assertTrue(o.hidden(), spec.qualifiedName() + " " + old + " is an old spelling, hidden");
                    }
                }
            }
        }
        assertTrue(descriptions.get("--threads").size() >= 5, descriptions.toString());
        assertEquals(1, descriptions.get("--threads").stream().distinct().count(), descriptions.toString());
    }

    @Test
    void oldSpellingsStillWork() throws Exception {
        Path q = tmp.resolve("q.gguf");
        CliRun r = CliRun.of("quantize", "--in", STORIES, "--type", "q8_0", "--out", q.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"quant\" : \"q8_0\""), r.out());
        assertTrue(Files.exists(q));
        CliRun plan = CliRun.of("quantize", "--model", STORIES, "--quant", "q4_0", "--plan");
        assertEquals(0, plan.code(), plan.err());
        CliRun inspect = CliRun.of("inspect", "--model", q.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("Q8_0"), inspect.out());
    }

    @Test
    void everyCommandThatPrintsAResultOffersJson() {
        // 'cell' is the child JVM bench starts (it writes its result file and prints nothing); 'help' prints usage;
        // 'rpc-server' serves until stopped
        List<String> missing = new ArrayList<>();
        for (CommandLine c : allCommands()) {
            CommandSpec spec = c.getCommandSpec();
            if (c.getSubcommands().isEmpty() && !List.of("cell", "help", "rpc-server").contains(spec.name()) && spec.findOption("--json") == null) {
                missing.add(spec.qualifiedName());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void enginesJsonIsTheIdentityACellRecords() throws Exception {
        CliRun r = CliRun.of("engines", "--engine", "bundled", "--json");
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode engines = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(1, engines.size(), r.out());
        assertTrue(engines.get(0).path("available").asBoolean(), r.out());
        com.fasterxml.jackson.databind.JsonNode id = engines.get(0).path("identity");
        assertEquals("bundled", id.path("name").asText(), r.out());
        assertEquals("b4916", id.path("llama_cpp_tag").asText(), r.out());
        assertTrue(id.path("backends").isArray() && id.path("backends").size() > 0, r.out());
        // the plain listing says the same
        CliRun text = CliRun.of("engines", "--engine", "bundled");
        assertTrue(text.out().contains(id.path("label").asText()), text.out());
    }

    @Test
    void helpIsHelpEverywhere() {
        for (String flag : List.of("--help", "-h")) {
            CliRun r = CliRun.of("calibrate", flag);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Usage: minillm calibrate"), r.out());
        }
        CliRun kld = CliRun.of("eval", "kld", "--help");
        assertEquals(0, kld.code());
        String synopsis = kld.out().substring(0, kld.out().indexOf("Divergence"));
        assertTrue(synopsis.contains(" --baseline=FILE"), synopsis);
        assertFalse(synopsis.contains("[--baseline=FILE]"), "--baseline is required, shown so: " + synopsis);
    }

    @Test
    void usageErrorsNameTheWholeCommand() {
        CliRun r = CliRun.of("eval", "ppl", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Try 'minillm eval ppl --help'"), r.err());
    }

    @Test
    void outOfRangeNumbersAreOneLineAndExitTwo() {
        CliRun t = CliRun.of("calibrate", "--model", STORIES, "--threads", "0");
        assertEquals(2, t.code(), t.err());
        assertEquals("minillm: --threads must be at least 1, not 0", t.err().strip());
        CliRun n = CliRun.of("calibrate", "--model", STORIES, "--threads", "x");
        assertEquals(2, n.code(), n.err());
        assertFalse(n.err().contains("Exception"), n.err());
        CliRun reps = CliRun.of("eval", "speed", "--model", STORIES, "--reps", "0");
        assertEquals(2, reps.code(), reps.err());
        assertTrue(reps.err().contains("--repetitions must be at least 1"), reps.err());
        CliRun q = CliRun.of("quantize", "--model", STORIES, "--quant", "q8_0", "--threads", "-1", "--plan");
        assertEquals(2, q.code(), q.err());
    }

    @Test
    void perplexityRefusesAContextTooSmallToMeanAnything() {
        CliRun r = CliRun.of("eval", "ppl", "--model", STORIES, "--ctx", "10");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--ctx 10 is too small"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void unknownQuantIsRejectedBeforeAnythingIsWrittenWithTheClosestName() {
        Path models = tmp.resolve("models");
        Path results = tmp.resolve("results");
        CliRun r = CliRun.of("bench", "--models-dir", models.toString(), "--results", results.toString(), "--quant", "q5km");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("did you mean q5_k_m?"), r.err());
        assertTrue(r.err().contains("valid: f32, f16, q4_0"), r.err());
        assertFalse(Files.exists(models), "no synthetic model written");
        assertFalse(Files.exists(results), "no results directory");
        CliRun quantize = CliRun.of("quantize", "--model", STORIES, "--quant", "q4km", "--plan");
        assertEquals(2, quantize.code());
        assertTrue(quantize.err().contains("did you mean q4_k_m?"), quantize.err());
    }

    @Test
    void aFilterMatchingNoFileListsWhatIsThere() throws Exception {
        Path family = Files.createDirectories(tmp.resolve("models/stories"));
        Files.copy(TestModel.STORIES, family.resolve("stories260K.gguf"));
        Path results = tmp.resolve("results");
        CliRun r = CliRun.of("bench", "--models-dir", tmp.resolve("models").toString(), "--results", results.toString(), "--quant", "q8_0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no model of the quantization(s) Q8_0"), r.err());
        assertTrue(r.err().contains("present: stories F32"), r.err());
        assertFalse(Files.exists(tmp.resolve("models/synthetic")), "no synthetic family written instead");
    }
}
