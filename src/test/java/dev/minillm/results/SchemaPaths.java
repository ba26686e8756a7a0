package dev.minillm.results;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every JSON field path of a record type, as the result files spell them ("cell.settings.threads", "tests[].tps.mean"). */
final class SchemaPaths {
    private static final PropertyNamingStrategies.NamingBase SNAKE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private SchemaPaths() {
    }

    /** Path -> simple type name, in declaration order. */
    static Map<String, String> of(Class<?> record) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(record, "", out);
        return out;
    }

    private static void walk(Class<?> record, String prefix, Map<String, String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + SNAKE.translate(c.getName());
            add(c.getGenericType(), path, out);
        }
    }

    private static void add(Type t, String path, Map<String, String> out) {
        if (t instanceof Class<?> k && k.isRecord()) {
            out.put(path, "object");
            walk(k, path + ".", out);
        } else if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type e = p.getActualTypeArguments()[0];
            out.put(path, "array");
            if (e instanceof Class<?> k && k.isRecord()) {
                walk(k, path + "[].", out);
            } else if (e instanceof ParameterizedType) {
                add(e, path + "[]", out);
            }
        } else if (t instanceof ParameterizedType p && p.getRawType() == Map.class) {
            out.put(path, "object");
            Type v = p.getActualTypeArguments()[1];
            if (v instanceof Class<?> k && k.isRecord()) {
                walk(k, path + ".*.", out);
            }
        } else {
            out.put(path, t instanceof Class<?> k ? k.getSimpleName() : t.getTypeName());
        }
    }
}
