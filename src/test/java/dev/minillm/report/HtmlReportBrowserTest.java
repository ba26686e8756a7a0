package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the HTML report in headless Chromium (Debian package "chromium"): the inline script must
 * count every chart as drawn, no script error may reach the console, and a screenshot must show a
 * page (kept as target/report-screenshot.png for a look).
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("minillm.chromium", "/usr/bin/chromium"));
    private static final long TIMEOUT_S = 90;

    @TempDir
    Path tmp;

    private record Result(int code, String stdout, String stderr) {
    }

    private Result chromium(String name, String... extra) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " not found: install Debian's package 'chromium' (apt-get install -y chromium)");
        }
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + tmp.resolve("profile-" + name),
                "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(extra));
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void chartsDrawInARealBrowserWithoutScriptErrors() throws Exception {
        Path results = Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("results"));
        // one flagged cell so that the audit section is rendered too
        Path q5 = results.resolve("raw/qwen2.5-0.5b/Q5_K_M__cpu.json");
        ObjectNode json = Fixtures.read(q5);
        Fixtures.metric(json, "decode_tps").put("cv", 0.14);
        Fixtures.write(q5, json);
        Path out = tmp.resolve("out");
        ReportGenerator.generate(List.of(results, Fixtures.SYNTHETIC), out, ReportOptions.defaults());
        String url = out.resolve(ReportGenerator.HTML).toUri().toString();

        Result dom = chromium("dom", "--virtual-time-budget=5000", "--dump-dom", url);
        assertEquals(0, dom.code(), dom.stderr());
        // four charts for the real-weights table, three for the synthetic one, plus one roofline each, the roofline chart among them
        assertTrue(dom.stdout().contains("data-charts-total=\"9\""), dom.stdout().substring(0, Math.min(2000, dom.stdout().length())));
        assertTrue(dom.stdout().contains("data-charts-drawn=\"9\""), "not every chart drew");
        assertTrue(dom.stdout().contains("charts drawn: 9 of 9"));
        assertEquals(2, dom.stdout().split("data-chart=\"roofline\"", -1).length - 1, "one roofline chart per table");
        assertTrue(dom.stdout().contains("roofline this machine (20.0 GB/s)"), "the roofline line is drawn with its bandwidth");
        assertTrue(dom.stdout().contains("class=\"verdict\""), "the verdict is on the page");
        assertFalse(dom.stderr().contains("Uncaught"), dom.stderr());
        assertFalse(dom.stderr().contains("net::ERR"), "the page tried to load something: " + dom.stderr());

        Path png = tmp.resolve("shot.png");
        Result shot = chromium("shot", "--hide-scrollbars", "--screenshot=" + png, "--window-size=1400,2000", url);
        assertEquals(0, shot.code(), shot.stderr());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1400, img.getWidth());
        assertEquals(2000, img.getHeight());
        // a rendered page with text, table shading and chart colours, not a blank or error page
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 200, "screenshot has only " + colours.size() + " colours");
        Files.copy(png, Path.of("target/report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
