package dev.minillm.report;

import dev.minillm.results.Stat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The answer to "which variant should I use here?" for one comparison table, per machine.
 *
 * <p>The rule (also in docs/readme/report.md): every measured column that meets the stated
 * {@link Constraints} is a candidate. A candidate is <i>dominated</i> when another one is at least
 * as good on decode speed, peak RAM and quality loss and better on at least one, "better" judged by
 * {@link Noise} (a difference within noise is a tie). Of the undominated ones (the Pareto front) the
 * fastest is recommended; when others are within noise of its speed, the best quality among them
 * wins (ties broken by quality), then the least RAM. Without quality figures (synthetic weights,
 * or no {@code --quality}) the choice is made on speed and memory only and the verdict says so.
 */
public final class Verdict {
    private static final double MIB = 1024.0 * 1024.0;

    /** The verdict for the columns of one machine. */
    public record Answer(String machine, String recommended, List<String> front, Map<String, String> dominated,
                         Map<String, List<String>> failing, boolean qualityMeasured, List<String> lines) {
    }

    /** One competing column with the figures the rule uses. */
    record Candidate(ComparisonTable.Column column, Figure speed, Figure ram, Double loss, Double pplIncrease,
                     Double kld, Integer wrong, Integer questions) {
        String name() {
            return column.header();
        }
    }

    private Verdict() {
    }

    /** One answer per machine of the table (one for a single-machine table); empty when nothing ran. */
    public static List<Answer> of(ComparisonTable t, Constraints constraints) {
        Map<ComparisonTable.Machine, List<ComparisonTable.Column>> byMachine = new LinkedHashMap<>();
        for (ComparisonTable.Column c : t.measuredColumns()) {
            byMachine.computeIfAbsent(c.machine(), k -> new ArrayList<>()).add(c);
        }
        List<Answer> out = new ArrayList<>();
        for (Map.Entry<ComparisonTable.Machine, List<ComparisonTable.Column>> e : byMachine.entrySet()) {
            Answer a = answer(t, e.getKey(), e.getValue(), constraints);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private static Answer answer(ComparisonTable t, ComparisonTable.Machine machine, List<ComparisonTable.Column> cols,
                                 Constraints k) {
        List<Candidate> all = cols.stream().map(c -> candidate(t, c))
                .filter(c -> c.speed().value() != null).toList();
        if (all.isEmpty()) {
            return null;
        }
        boolean synthetic = cols.stream().anyMatch(c -> c.cell().synthetic());
        boolean quality = !synthetic && all.stream().anyMatch(c -> c.loss() != null);
        List<String> lines = new ArrayList<>();
        String where = t.multiMachine() ? "On " + machine.label() : "On this machine";

        Map<String, List<String>> failing = new LinkedHashMap<>();
        List<Candidate> passing = new ArrayList<>();
        for (Candidate c : all) {
            List<String> why = failures(c, k, quality);
            if (why.isEmpty()) {
                passing.add(c);
            } else {
                failing.put(c.name(), why);
            }
        }
        if (k.anyQuality() && !quality) {
            lines.add("Quality constraints (" + qualityOptions(k) + ") cannot be checked: quality was not measured"
                    + (synthetic ? " (synthetic weights)" : " (run bench --quality)") + ".");
        }
        if (passing.isEmpty()) {
            lines.add("No variant meets " + k.describe() + ": "
                    + failing.entrySet().stream().map(e -> e.getKey() + " fails " + String.join(" and ", e.getValue()))
                    .collect(Collectors.joining("; ")) + ".");
            return new Answer(machine.label(), null, List.of(), Map.of(), failing, quality, lines);
        }

        Map<String, String> dominated = new LinkedHashMap<>();
        List<Candidate> front = new ArrayList<>();
        for (Candidate c : passing) {
            Candidate by = passing.stream().filter(o -> o != c && dominates(o, c, quality)).findFirst().orElse(null);
            if (by == null) {
                front.add(c);
            } else {
                dominated.put(c.name(), by.name());
            }
        }
        Candidate pick = choose(front, quality);
        lines.add(0, headline(t, where, pick, cols, quality));
        Candidate other = runnerUp(front, pick);
        if (other != null) {
            lines.add(comparison(other, pick, quality));
        }
        if (!quality) {
            lines.add(synthetic ? "Quality was not measured (synthetic weights): recommended on speed and memory only."
                    : "Quality was not measured (run bench --quality): recommended on speed and memory only.");
        }
        if (k.any()) {
            String meets = passing.stream().map(Candidate::name).collect(Collectors.joining(", "));
            StringBuilder s = new StringBuilder("Constraints " + k.describe() + ": met by " + meets);
            failing.forEach((name, why) -> s.append("; ").append(name).append(" fails ").append(String.join(" and ", why)));
            lines.add(s + ".");
        }
        if (!dominated.isEmpty()) {
            lines.add("Never the answer here (another variant is at least as fast, as small and as good, beyond noise): "
                    + dominated.entrySet().stream().map(e -> e.getKey() + " (by " + e.getValue() + ")")
                    .collect(Collectors.joining(", ")) + ".");
        }
        return new Answer(machine.label(), pick.name(), front.stream().map(Candidate::name).toList(), dominated, failing,
                quality, lines);
    }

    static Candidate candidate(ComparisonTable t, ComparisonTable.Column c) {
        Figure ram = c.figure(Row.PEAK_RSS).value() != null ? c.figure(Row.PEAK_RSS) : c.figure(Row.RSS_AFTER_GEN);
        Double loss = t.qualityLoss(c);
        Figure delta = c.figure(Row.DELTA_PPL);
        Double pplIncrease = delta.kind() == Figure.Kind.DELTA ? delta.spread() : "baseline".equals(delta.text()) ? Double.valueOf(0.0) : null;
        Figure kldFigure = c.figure(Row.KLD_MEAN);
        Double kld = kldFigure.value() != null ? kldFigure.value() : "baseline".equals(kldFigure.text()) ? Double.valueOf(0.0) : null;
        CellResult.Quality q = c.cell().synthetic() ? null : c.cell().quality();
        Integer questions = q == null ? null : q.hallucinationQuestions();
        Integer wrong = q == null || q.hallucinationRate() == null || questions == null ? null
                : (int) Math.round(q.hallucinationRate() * questions);
        return new Candidate(c, c.figure(Row.DECODE_TPS), ram, c.cell().synthetic() ? null : loss,
                c.cell().synthetic() ? null : pplIncrease, c.cell().synthetic() ? null : kld, wrong, questions);
    }

    /** The constraints a candidate fails, each naming the option and the figure. */
    static List<String> failures(Candidate c, Constraints k, boolean quality) {
        List<String> why = new ArrayList<>();
        if (k.maxRamBytes() != null) {
            if (c.ram().value() == null) {
                why.add("--max-ram (peak RAM not measured)");
            } else if (c.ram().value() * MIB > k.maxRamBytes()) {
                why.add("--max-ram " + Constraints.bytes(k.maxRamBytes()) + " (peak RAM " + c.ram().renderValue() + " MiB)");
            }
        }
        if (k.minDecodeTps() != null && c.speed().value() < k.minDecodeTps()) {
            why.add("--min-tps " + Constraints.num(k.minDecodeTps()) + " (decode " + c.speed().renderValue() + " tok/s)");
        }
        if (quality && k.maxPplIncrease() != null) {
            if (c.pplIncrease() == null) {
                why.add("--max-ppl-increase (perplexity increase not measured)");
            } else if (c.pplIncrease() > k.maxPplIncrease()) {
                why.add("--max-ppl-increase " + Constraints.num(k.maxPplIncrease() * 100) + " % (perplexity "
                        + signedPercent(c.pplIncrease()) + ")");
            }
        }
        if (quality && k.maxKld() != null) {
            if (c.kld() == null) {
                why.add("--max-kld (KLD not measured)");
            } else if (c.kld() > k.maxKld()) {
                why.add("--max-kld " + Constraints.num(k.maxKld()) + " (KLD " + kld(c.kld()) + ")");
            }
        }
        return why;
    }

    /** a dominates b: not worse on any axis and better on one, beyond noise. */
    static boolean dominates(Candidate a, Candidate b, boolean quality) {
        int speed = Noise.compare(a.speed(), b.speed(), true);
        int ram = a.ram().value() == null || b.ram().value() == null ? 0 : Noise.compare(a.ram(), b.ram(), false);
        int q = 0;
        if (quality) {
            if (a.loss() == null || b.loss() == null) {
                // unknown quality cannot be shown to be at least as good
                if (a.loss() == null && b.loss() != null) {
                    return false;
                }
            } else {
                q = Noise.compare(a.loss(), null, b.loss(), null, false);
            }
        }
        return speed >= 0 && ram >= 0 && q >= 0 && (speed > 0 || ram > 0 || q > 0);
    }

    /** The fastest of the front; within noise of its speed, the best quality, then the least RAM. */
    static Candidate choose(List<Candidate> front, boolean quality) {
        Candidate fastest = front.stream().max(Comparator.comparingDouble(c -> c.speed().value())).orElseThrow();
        List<Candidate> tied = front.stream().filter(c -> Noise.compare(c.speed(), fastest.speed(), true) == 0).toList();
        Comparator<Candidate> byQuality = Comparator.comparingDouble(c -> c.loss() == null ? Double.MAX_VALUE : c.loss());
        Comparator<Candidate> byRam = Comparator.comparingDouble(c -> c.ram().value() == null ? Double.MAX_VALUE : c.ram().value());
        Comparator<Candidate> order = quality ? byQuality.thenComparing(byRam) : byRam;
        return tied.stream().min(order.thenComparing(Comparator.comparingDouble((Candidate c) -> c.speed().value()).reversed()))
                .orElse(fastest);
    }

    /** The other front member most worth naming: the fastest one besides the pick. */
    private static Candidate runnerUp(List<Candidate> front, Candidate pick) {
        return front.stream().filter(c -> c != pick).max(Comparator.comparingDouble(c -> c.speed().value())).orElse(null);
    }

    private static String headline(ComparisonTable t, String where, Candidate pick, List<ComparisonTable.Column> cols,
                                   boolean quality) {
        StringBuilder s = new StringBuilder(where + ", " + pick.name() + " is the best trade-off: decode "
                + pick.speed().renderValue() + " tok/s");
        ComparisonTable.Column base = cols.stream().filter(c -> c.cell().variant().equalsIgnoreCase(t.baselineVariant())
                && c.cell().backend().equals(pick.column().cell().backend())).findFirst().orElse(null);
        Candidate b = base == null || base == pick.column() ? null : candidate(t, base);
        if (b != null) {
            Noise.Ratio speed = Noise.ratio(pick.speed().value(), pick.speed().spread(), b.speed().value(), b.speed().spread());
            if (speed != null) {
                s.append(" (").append(speed.render()).append(" the speed of ").append(b.name())
                        .append(speed.withinNoise() ? ", within noise" : "").append(')');
            }
        }
        if (pick.ram().value() != null) {
            s.append(", peak RAM ").append(pick.ram().renderValue()).append(" MiB");
            if (b != null && b.ram().value() != null) {
                Noise.Ratio ram = Noise.ratio(pick.ram().value(), pick.ram().spread(), b.ram().value(), b.ram().spread());
                s.append(String.format(Locale.ROOT, " (%.0f %% of %s's)", ram.value() * 100, b.name()));
            }
        }
        if (quality) {
            List<String> q = new ArrayList<>();
            if (pick.pplIncrease() != null && pick.kld() != null && pick.kld() == 0.0 && pick.pplIncrease() == 0.0) {
                q.add("it is the quality baseline");
            } else {
                if (pick.pplIncrease() != null) {
                    q.add("perplexity " + signedPercent(pick.pplIncrease()));
                }
                if (pick.kld() != null) {
                    q.add("KLD " + kld(pick.kld()));
                }
            }
            if (!q.isEmpty()) {
                s.append(", ").append(String.join(", ", q));
            }
        }
        return s + ".";
    }

    /** "X ran 1.44 ± 0.32× faster than Y", or within noise, plus what the other one costs or gains. */
    private static String comparison(Candidate other, Candidate pick, boolean quality) {
        Noise.Ratio r = Noise.ratio(other.speed().value(), other.speed().spread(), pick.speed().value(), pick.speed().spread());
        StringBuilder s = new StringBuilder(other.name());
        if (r.withinNoise()) {
            s.append(" decoded at ").append(r.render()).append(" the speed of ").append(pick.name())
                    .append(": within noise");
        } else if (r.value() > 1) {
            s.append(" ran ").append(r.render()).append(" faster than ").append(pick.name());
        } else {
            Noise.Ratio inv = Noise.ratio(pick.speed().value(), pick.speed().spread(), other.speed().value(), other.speed().spread());
            s.append(" ran ").append(inv.render()).append(" slower than ").append(pick.name());
        }
        List<String> diffs = new ArrayList<>();
        if (quality && other.kld() != null && pick.kld() != null) {
            diffs.add("KLD " + kld(other.kld()) + " vs " + kld(pick.kld()));
        }
        if (quality && other.pplIncrease() != null && pick.pplIncrease() != null) {
            diffs.add("perplexity " + signedPercent(other.pplIncrease()) + " vs " + signedPercent(pick.pplIncrease()));
        }
        if (quality && other.wrong() != null && pick.wrong() != null && !other.wrong().equals(pick.wrong())) {
            int d = other.wrong() - pick.wrong();
            diffs.add("hallucinated on " + Math.abs(d) + (d > 0 ? " more" : " fewer") + " of " + other.questions() + " facts");
        }
        if (other.ram().value() != null && pick.ram().value() != null) {
            diffs.add("peak RAM " + other.ram().renderValue() + " vs " + pick.ram().renderValue() + " MiB");
        }
        if (!diffs.isEmpty()) {
            s.append(" (").append(String.join("; ", diffs)).append(')');
        }
        return s + ".";
    }

    private static String qualityOptions(Constraints k) {
        List<String> o = new ArrayList<>();
        if (k.maxPplIncrease() != null) {
            o.add("--max-ppl-increase");
        }
        if (k.maxKld() != null) {
            o.add("--max-kld");
        }
        return String.join(", ", o);
    }

    static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.2f %%", fraction * 100);
    }

    static String kld(double v) {
        return Figure.fixed(v, Figure.decimals(v));
    }
}
