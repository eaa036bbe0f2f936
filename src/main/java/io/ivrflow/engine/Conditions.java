package io.ivrflow.engine;

import io.ivrflow.flow.Node;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntPredicate;

/** Evaluates condition rules over call variables. A missing variable is the empty string. */
final class Conditions {

    private Conditions() {
    }

    static boolean holds(Node.Rule rule, Map<String, String> vars) {
        String actual = vars.getOrDefault(rule.variable(), "");
        String expected = Templates.fill(rule.value(), vars);
        return switch (rule.operator()) {
            case EQ -> equal(actual, expected);
            case NE -> !equal(actual, expected);
            case LT -> compare(actual, expected, c -> c < 0);
            case LE -> compare(actual, expected, c -> c <= 0);
            case GT -> compare(actual, expected, c -> c > 0);
            case GE -> compare(actual, expected, c -> c >= 0);
            case IN -> Arrays.asList(expected.split("\n")).contains(actual);
            case MATCHES -> actual.matches(expected);
            case SET -> !actual.isEmpty();
            case UNSET -> actual.isEmpty();
        };
    }

    private static boolean equal(String a, String b) {
        Double x = number(a);
        Double y = number(b);
        return x != null && y != null ? x.doubleValue() == y.doubleValue() : a.equals(b);
    }

    /** Numeric comparison; a value that is not a number satisfies none of lt, le, gt, ge. */
    private static boolean compare(String a, String b, IntPredicate test) {
        Double x = number(a);
        Double y = number(b);
        return x != null && y != null && test.test(Double.compare(x, y));
    }

    private static Double number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long asLong(String s) {
        Double d = number(s);
        return d == null ? 0 : d.longValue();
    }
}
