package dev.minillm.report;

import com.fasterxml.jackson.databind.JsonNode;

/** Tolerant accessors: a missing, null or wrongly typed field reads as null instead of failing. */
final class Json {
    private Json() {
    }

    static JsonNode obj(JsonNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode n = parent.get(field);
        return n != null && n.isObject() ? n : null;
    }

    static String str(JsonNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode n = parent.get(field);
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        String s = n.asText();
        return s.isEmpty() ? null : s;
    }

    static Double dbl(JsonNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode n = parent.get(field);
        if (n == null || !n.isNumber()) {
            return null;
        }
        double d = n.asDouble();
        return Double.isFinite(d) ? d : null;
    }

    static Integer integer(JsonNode parent, String field) {
        Double d = dbl(parent, field);
        return d == null ? null : (int) Math.round(d);
    }

    static Long lng(JsonNode parent, String field) {
        Double d = dbl(parent, field);
        return d == null ? null : Math.round(d);
    }

    static Boolean bool(JsonNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode n = parent.get(field);
        return n != null && n.isBoolean() ? n.asBoolean() : null;
    }
}
