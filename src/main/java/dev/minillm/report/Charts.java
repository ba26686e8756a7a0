package dev.minillm.report;

import dev.minillm.results.Metric;
import dev.minillm.results.Stat;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, drawn with JFreeChart and written as SVG (JFreeSVG) and PNG:
 * decode tok/s vs size, quality vs size with the Pareto front, load time, memory.
 * Error bars are ± one sample standard deviation over the measured repetitions.
 */
public final class Charts {
    static {
        // Charts are drawn off-screen; never try to reach a display (CI, servers).
        System.setProperty("java.awt.headless", "true");
    }

    public static final int WIDTH = 760;
    public static final int HEIGHT = 460;

    private static final Color[] PALETTE = {
        new Color(0x4e79a7), new Color(0xf28e2b), new Color(0x59a14f), new Color(0xe15759),
        new Color(0x76b7b2), new Color(0xb07aa1), new Color(0xedc948), new Color(0x9c755f)};
    private static final Color GRID = new Color(0xdddddd);
    private static final Color TEXT = new Color(0x333333);
    private static final String FONT = "SansSerif";
    /** Gap between a point and its label, in px: clear of the 10 px marker. */
    private static final double LABEL_OFFSET = 8;

    /** A chart with the file-name stem it is written under. */
    public record NamedChart(String name, String title, JFreeChart chart) {
    }

    private Charts() {
    }

    /**
     * The charts of one comparison table: decode speed, load time and memory, and quality vs size
     * when some cell has a quality figure to plot (the page says why not in one line otherwise,
     * rather than giving an empty chart a quarter of it).
     */
    public static List<NamedChart> forTable(ComparisonTable table) {
        List<NamedChart> charts = new ArrayList<>();
        charts.add(new NamedChart("decode-vs-size", "Decode speed vs size", decodeVsSize(table)));
        if (table.qualityAxis() != null) {
            charts.add(new NamedChart("quality-vs-size", "Quality vs size", qualityVsSize(table)));
        }
        charts.add(new NamedChart("load-time", "Load time", loadTime(table)));
        charts.add(new NamedChart("memory", "Memory", memory(table)));
        if (table.columns().stream().anyMatch(c -> c.cell().record().ladder() != null && !c.cell().record().ladder().isEmpty())) {
            charts.add(new NamedChart("context-ladder-kv", "KV cache vs context depth", ladderKv(table)));
            charts.add(new NamedChart("context-ladder-decode", "Decode speed vs context depth", ladderDecode(table)));
        }
        charts.add(new NamedChart("roofline", "Decode vs bytes per token, with the roofline", roofline(table)));
        return charts;
    }

    private static String seriesName(ComparisonTable t, ComparisonTable.Column c) {
        return c.cell().backend() + (t.multiMachine() ? " @ " + c.machine().label() : "");
    }

    private static String categoryName(ComparisonTable t, ComparisonTable.Column c) {
        return c.header() + (t.multiMachine() ? " @ " + c.machine().label() : "");
    }

    private static double mib(Long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    static JFreeChart decodeVsSize(ComparisonTable t) {
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        Map<String, List<String>> labels = new LinkedHashMap<>();
        for (ComparisonTable.Column c : t.columns()) {
            Stat decode = c.cell().metric(Metric.DECODE_TPS);
            Long size = ComparisonTable.sizeBytes(c.cell());
            if (!c.cell().ok() || decode == null || size == null) {
                continue;
            }
            String name = seriesName(t, c);
            double sd = decode.stddev() == null ? 0 : decode.stddev();
            series.computeIfAbsent(name, k -> new YIntervalSeries(k, false, true))
                    .add(mib(size), decode.mean(), decode.mean() - sd, decode.mean() + sd);
            labels.computeIfAbsent(name, k -> new ArrayList<>()).add(c.cell().variant());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        List<List<String>> labelLists = new ArrayList<>(labels.values());
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setCapLength(6);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesShape(i, i % 2 == 0 ? new Ellipse2D.Double(-5, -5, 10, 10)
                    : new java.awt.geom.Rectangle2D.Double(-5, -5, 10, 10));
        }
        renderer.setErrorStroke(new BasicStroke(1.2f));
        renderer.setDefaultItemLabelGenerator((ds, s, i) -> labelLists.get(s).get(i));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(FONT, Font.PLAIN, 12));
        // Right of the point: above it the label would sit on the error bar's cap and hide Q4_0's underscore.
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        renderer.setItemLabelAnchorOffset(LABEL_OFFSET);
        XYPlot plot = new XYPlot(data, axis("Model file size (MiB)", true), axis("Decode tok/s (± stddev)", true), renderer);
        return finish(new JFreeChart("Decode speed vs size — " + t.title(), titleFont(), plot, true), plot,
                "No decode measurements (no successful cells)");
    }

    /** KV cache bytes at each depth of the context ladder: the analytic size, llama.cpp's, and the RSS the context cost. */
    static JFreeChart ladderKv(ComparisonTable t) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ComparisonTable.Column c : t.measuredColumns()) {
            List<dev.minillm.results.LadderPoint> ladder = c.cell().record().ladder();
            if (ladder == null || ladder.isEmpty()) {
                continue;
            }
            XYSeries analytic = new XYSeries(categoryName(t, c) + ": analytic KV", true, false);
            XYSeries reported = new XYSeries(categoryName(t, c) + ": llama.cpp's KV", true, false);
            XYSeries rss = new XYSeries(categoryName(t, c) + ": RSS of the context", true, false);
            for (dev.minillm.results.LadderPoint p : ladder) {
                if (p.kvBytesAnalytic() != null) {
                    analytic.add(p.depth(), mib(p.kvBytesAnalytic()));
                }
                if (p.kvBytesReported() != null) {
                    reported.add(p.depth(), mib(p.kvBytesReported()));
                }
                if (p.rssDeltaBytes() != null) {
                    rss.add(p.depth(), mib(p.rssDeltaBytes()));
                }
            }
            data.addSeries(analytic);
            data.addSeries(reported);
            data.addSeries(rss);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, axis("Tokens in the KV cache", true), axis("MiB", true), renderer);
        return finish(new JFreeChart("KV cache vs context depth — " + t.title(), titleFont(), plot, true), plot,
                "No context ladder (bench --ladder)");
    }

    /** Decode tok/s at each depth of the context ladder, ± one standard deviation. */
    static JFreeChart ladderDecode(ComparisonTable t) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (ComparisonTable.Column c : t.measuredColumns()) {
            List<dev.minillm.results.LadderPoint> ladder = c.cell().record().ladder();
            if (ladder == null || ladder.isEmpty()) {
                continue;
            }
            YIntervalSeries s = new YIntervalSeries(categoryName(t, c), false, true);
            for (dev.minillm.results.LadderPoint p : ladder) {
                Stat d = p.decodeTps();
                if (d != null && d.mean() != null) {
                    double sd = d.stddev() == null ? 0 : d.stddev();
                    s.add(p.depth(), d.mean(), d.mean() - sd, d.mean() + sd);
                }
            }
            data.addSeries(s);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        XYPlot plot = new XYPlot(data, axis("Tokens in the KV cache", true), axis("Decode tok/s (± stddev)", true), renderer);
        return finish(new JFreeChart("Decode speed vs context depth — " + t.title(), titleFont(), plot, true), plot,
                "No context ladder (bench --ladder)");
    }

    /**
     * Decode tok/s against bytes read per token on log-log axes, one point per cell (± stddev), and
     * each machine's memory roofline (bandwidth ÷ bytes per token, a straight line of slope −1):
     * points near the line are bandwidth-bound, points far below it are limited by compute or overhead.
     */
    static JFreeChart roofline(ComparisonTable t) {
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        Map<String, List<String>> labels = new LinkedHashMap<>();
        Map<String, Double> bandwidths = new LinkedHashMap<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        double topY = 0;
        for (ComparisonTable.Column c : t.measuredColumns()) {
            Stat decode = c.cell().metric("decode_tps");
            Double bytes = Roofline.bytesPerToken(c.cell());
            Double bw = Roofline.bandwidth(c.cell());
            if (decode == null || bytes == null || bw == null || decode.mean() <= 0) {
                continue;
            }
            double x = bytes / (1024.0 * 1024.0);
            double sd = decode.stddev() == null ? 0 : decode.stddev();
            String name = seriesName(t, c);
            series.computeIfAbsent(name, k -> new YIntervalSeries(k, false, true))
                    .add(x, decode.mean(), Math.max(decode.mean() * 0.01, decode.mean() - sd), decode.mean() + sd);
            labels.computeIfAbsent(name, k -> new ArrayList<>()).add(c.cell().variant());
            bandwidths.merge(t.multiMachine() ? c.machine().label() : "this machine", bw, Math::max);
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
            topY = Math.max(topY, Math.max(decode.mean() + sd, bw / bytes));
        }
        YIntervalSeriesCollection points = new YIntervalSeriesCollection();
        series.values().forEach(points::addSeries);
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Map.Entry<String, Double> e : bandwidths.entrySet()) {
            XYSeries line = new XYSeries(String.format(java.util.Locale.ROOT, "roofline %s (%.1f GB/s)", e.getKey(), e.getValue() / 1e9));
            double x0 = lo / 2;
            double x1 = hi * 2;
            double mib = 1024.0 * 1024.0;
            line.add(x0, e.getValue() / (x0 * mib));
            line.add(x1, e.getValue() / (x1 * mib));
            lines.addSeries(line);
        }
        List<List<String>> labelLists = new ArrayList<>(labels.values());
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setCapLength(6);
        renderer.setErrorStroke(new BasicStroke(1.2f));
        renderer.setDefaultItemLabelGenerator((ds, si, i) -> labelLists.get(si).get(i));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(FONT, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        for (int i = 0; i < points.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        org.jfree.chart.axis.LogAxis x = logAxis("Bytes read per token (MiB, log scale)");
        org.jfree.chart.axis.LogAxis y = logAxis("Decode tok/s (± stddev, log scale)");
        XYPlot plot = new XYPlot(points, x, y, renderer);
        if (!series.isEmpty()) {
            XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
            for (int i = 0; i < lines.getSeriesCount(); i++) {
                lineRenderer.setSeriesPaint(i, PALETTE[(3 + i) % PALETTE.length]);
                lineRenderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {6f, 4f}, 0f));
            }
            plot.setDataset(1, lines);
            plot.setRenderer(1, lineRenderer);
            x.setRange(lo / 2, hi * 2);
            y.setRange(Math.max(1e-3, 0.5 * series.values().stream().mapToDouble(sr -> sr.getYLowValue(0)).min().orElse(1)), topY * 3);
        }
        JFreeChart chart = new JFreeChart("Roofline — " + t.title(), titleFont(), plot, true);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        plot.setNoDataMessage("No roofline data (bench records bytes per token and the machine's bandwidth)");
        plot.setNoDataMessageFont(new Font(FONT, Font.ITALIC, 14));
        style(chart);
        return chart;
    }

    private static org.jfree.chart.axis.LogAxis logAxis(String label) {
        org.jfree.chart.axis.LogAxis a = new org.jfree.chart.axis.LogAxis(label);
        a.setBase(10);
        a.setSmallestValue(1e-6);
        a.setLabelFont(new Font(FONT, Font.PLAIN, 13));
        a.setLabelPaint(TEXT);
        a.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
        a.setTickLabelPaint(TEXT);
        a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
        return a;
    }

    static JFreeChart qualityVsSize(ComparisonTable t) {
        XYSeries points = new XYSeries("variants", true, true);
        List<double[]> xy = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<double[]> front = new ArrayList<>();
        String axisName = t.qualityAxis();
        if (axisName != null) {
            for (ComparisonTable.Column c : t.columns()) {
                Long size = ComparisonTable.sizeBytes(c.cell());
                Double loss = t.qualityLoss(c);
                if (size == null || loss == null || names.contains(c.cell().variant())) {
                    continue;
                }
                xy.add(new double[] {mib(size), loss});
                names.add(c.cell().variant());
                if ("yes".equals(c.figure(Row.PARETO).text())) {
                    front.add(new double[] {mib(size), loss});
                }
            }
        }
        // XYSeries sorts by x; keep labels aligned with that order
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < xy.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> xy.get(i)[0]));
        List<String> sortedNames = new ArrayList<>();
        for (int i : order) {
            points.add(xy.get(i)[0], xy.get(i)[1]);
            sortedNames.add(names.get(i));
        }
        XYSeries frontSeries = new XYSeries("Pareto front", true, true);
        front.sort(Comparator.comparingDouble(p -> p[0]));
        front.forEach(p -> frontSeries.add(p[0], p[1]));
        XYSeriesCollection data = new XYSeriesCollection();
        if (!xy.isEmpty()) {
            data.addSeries(points);
            data.addSeries(frontSeries);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        renderer.setSeriesPaint(1, PALETTE[3]);
        renderer.setSeriesItemLabelGenerator(0, (ds, s, i) -> sortedNames.get(i));
        renderer.setSeriesItemLabelsVisible(0, true);
        renderer.setDefaultItemLabelFont(new Font(FONT, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        String yLabel = axisName == null ? "Quality loss" : axisName + " vs " + t.baselineVariant() + " (lower is better)";
        XYPlot plot = new XYPlot(data, axis("Model file size (MiB)", true), axis(yLabel, true), renderer);
        boolean synthetic = t.columns().stream().anyMatch(c -> c.cell().synthetic());
        return finish(new JFreeChart("Quality vs size — " + t.title(), titleFont(), plot, true), plot,
                synthetic ? "Quality n/a: synthetic weights" : "No quality data (run bench --quality)");
    }

    static JFreeChart loadTime(ComparisonTable t) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (ComparisonTable.Column c : t.columns()) {
            if (!c.cell().ok()) {
                continue;
            }
            addStat(data, c.cell().metric(Metric.LOAD_COLD_MS), 1.0, "cold (page cache dropped)", categoryName(t, c));
            addStat(data, c.cell().metric(Metric.LOAD_WARM_MS), 1.0, "warm", categoryName(t, c));
        }
        return bars("Load time — " + t.title(), "Load time (ms, ± stddev)", data, "No load measurements");
    }

    static JFreeChart memory(ComparisonTable t) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        double toMib = 1.0 / (1024.0 * 1024.0);
        for (ComparisonTable.Column c : t.columns()) {
            if (!c.cell().ok()) {
                continue;
            }
            addStat(data, c.cell().metric(Metric.RSS_AFTER_LOAD_BYTES), toMib, "RSS after load", categoryName(t, c));
            addStat(data, c.cell().metric(Metric.RSS_AFTER_GEN_BYTES), toMib, "RSS after generation", categoryName(t, c));
            addStat(data, c.cell().metric(Metric.PEAK_RSS_BYTES), toMib, "peak RSS", categoryName(t, c));
        }
        return bars("Memory — " + t.title(), "Resident memory (MiB, ± stddev)", data, "No memory measurements");
    }

    private static void addStat(DefaultStatisticalCategoryDataset data, Stat s, double factor, String row, String column) {
        if (s != null) {
            data.add(s.mean() * factor, s.stddev() == null ? 0.0 : s.stddev() * factor, row, column);
        }
    }

    static JFreeChart bars(String title, String valueLabel, DefaultStatisticalCategoryDataset data, String noData) {
        CategoryAxis categories = new CategoryAxis();
        categories.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
        categories.setTickLabelPaint(TEXT);
        categories.setCategoryMargin(0.25);
        if (data.getColumnCount() > 6) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setErrorIndicatorPaint(TEXT);
        renderer.setItemMargin(0.05);
        renderer.setMaximumBarWidth(0.08);
        renderer.setDrawBarOutline(false);
        CategoryPlot plot = new CategoryPlot(data, categories, axis(valueLabel, false), renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        plot.setNoDataMessage(noData);
        plot.setNoDataMessageFont(new Font(FONT, Font.ITALIC, 16));
        for (int i = 0; i < PALETTE.length; i++) {
            renderer.setSeriesPaint(i, PALETTE[i]);
        }
        JFreeChart chart = new JFreeChart(title, titleFont(), plot, true);
        style(chart);
        return chart;
    }

    static NumberAxis axis(String label, boolean autoRangeFromData) {
        NumberAxis a = new NumberAxis(label);
        a.setLabelFont(new Font(FONT, Font.PLAIN, 13));
        a.setLabelPaint(TEXT);
        a.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
        a.setTickLabelPaint(TEXT);
        a.setAutoRangeIncludesZero(true);
        // sizes, speeds, times and memory are never negative, even where an error bar would reach below 0
        a.setRangeType(org.jfree.data.RangeType.POSITIVE);
        return a;
    }

    static Font titleFont() {
        return new Font(FONT, Font.BOLD, 16);
    }

    static JFreeChart finish(JFreeChart chart, XYPlot plot, String noData) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        plot.setNoDataMessage(noData);
        plot.setNoDataMessageFont(new Font(FONT, Font.ITALIC, 16));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        for (int i = 0; i < PALETTE.length; i++) {
            if (plot.getRenderer().getSeriesPaint(i) == null) {
                plot.getRenderer().setSeriesPaint(i, PALETTE[i]);
            }
        }
        // room above the highest point for its label
        ((NumberAxis) plot.getRangeAxis()).setUpperMargin(0.15);
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        TextTitle title = chart.getTitle();
        title.setPaint(TEXT);
        title.setPadding(new RectangleInsets(8, 8, 4, 8));
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(new Font(FONT, Font.PLAIN, 12));
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setBackgroundPaint((Paint) Color.WHITE);
        }
    }

    /**
     * A self-contained SVG document (for files a README embeds). No DOCTYPE: JFreeSVG's points to
     * an external DTD that XML tools would try to fetch.
     */
    public static String svgDocument(JFreeChart chart, String idPrefix) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + svg(chart, idPrefix).getSVGElement(idPrefix, true, new ViewBox(0, 0, WIDTH, HEIGHT), null, null) + "\n";
    }

    /**
     * An inline &lt;svg&gt; element for HTML: scales with its container through its viewBox; the
     * id prefix keeps clip-path ids of several charts on one page apart.
     */
    public static String svgElement(JFreeChart chart, String idPrefix) {
        return svg(chart, idPrefix).getSVGElement(idPrefix, false, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
    }

    private static SVGGraphics2D svg(JFreeChart chart, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(idPrefix + "-");
        chart.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        return g;
    }

    public static byte[] png(JFreeChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        return out.toByteArray();
    }
}
