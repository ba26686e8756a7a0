package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.results.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One setting a bench run can sweep: its option, how a value is parsed, where it goes in the
 * cell's {@link Settings}, its default and its short tag in cell ids. A comma list on the command
 * line gives several values; the plan runs the product of all dimensions.
 *
 * @param option       the bench option, e.g. "--threads"
 * @param tag          prefix of the value in cell ids, e.g. "t" (t4)
 * @param description  the option's help text (without the default)
 * @param parse        one value from text; throws BadInputException naming the option
 * @param set          puts a value into the settings being built
 * @param get          reads the value back from settings
 * @param defaultValue the value when the option is not given, from the settings of the dimensions before it
 * @param show         the value as text in ids and tables
 * @param placement    where the model runs rather than how (--gpu-layers, --rpc): it applies to gpu cells
 *                     only, and its tag is part of the cell's column (gpu-ngl8), so the values of one
 *                     sweep land side by side in one table with the cpu cell
 * @param list         the values of the option's text when it is not a plain comma list; null for a comma list
 */
public record Dimension<T>(String option, String tag, String description, Function<String, T> parse,
                           BiFunction<Settings.Builder, T, Settings.Builder> set, Function<Settings, T> get,
                           Function<Settings, T> defaultValue, Function<T, String> show, boolean placement,
                           Function<String, List<T>> list) {

    /** A setting of how the engine runs, given as a comma list. */
    public Dimension(String option, String tag, String description, Function<String, T> parse,
                     BiFunction<Settings.Builder, T, Settings.Builder> set, Function<Settings, T> get,
                     Function<Settings, T> defaultValue, Function<T, String> show) {
        this(option, tag, description, parse, set, get, defaultValue, show, false, null);
    }

    /** The distinct values of a comma list, in the order given; null or blank (the default) gives none. */
    public List<T> values(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        if (list != null) {
            return List.copyOf(new LinkedHashSet<>(list.apply(text)));
        }
        LinkedHashSet<T> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new BadInputException(option + ": empty value in '" + text + "' (a comma list such as 1,2)");
            }
            out.add(parse.apply(p));
        }
        return new ArrayList<>(out);
    }

    /** The value of these settings in a cell id, or null when it is the default. */
    public String tagOf(Settings s) {
        T v = get.apply(s);
        return v.equals(defaultValue.apply(s)) ? null : tag + show.apply(v);
    }

    /** Applies an untyped value (one of {@link #values}). */
    @SuppressWarnings("unchecked")
    Settings.Builder apply(Settings.Builder b, Object value) {
        return set.apply(b, (T) value);
    }

    /** The option name without dashes, as settings and tables call it ("cache-type-k"). */
    public String name() {
        return option.replaceFirst("^--", "");
    }
}
