package io.ivrflow.console;

import io.ivrflow.flow.Edge;
import io.ivrflow.flow.Node;

/**
 * What takes an edge, in the words a flow author uses: the digits of a menu option, a condition's test, a
 * schedule's branch, the no-input and no-match exits, a lookup's answer, a failure. {@link Edge#label()} is the
 * engine's name for the exit ({@code key:1}, {@code rule:0}, {@code noInput}...); this is the picture's.
 *
 * @param text  shown on the edge
 * @param kind  the sort of exit, for colours and dashes: {@code key}, {@code condition}, {@code schedule},
 *              {@code retry} (no input / no match), {@code result} (a lookup's answer), {@code failure},
 *              {@code next}
 */
public record EdgeLabel(String text, String kind) {

    public static EdgeLabel of(Node from, Edge edge) {
        String label = edge.label();
        if (label.startsWith("key:")) {
            String key = label.substring("key:".length());
            if (from instanceof Node.Language l) {
                return new EdgeLabel(key + " " + l.options().get(key), "key");
            }
            if (from instanceof Node.Menu m && m.options().get(key) != null && m.options().get(key).repeat()) {
                return new EdgeLabel(key + " repeat", "key");
            }
            return new EdgeLabel(key, "key");
        }
        if (label.startsWith("rule:") && from instanceof Node.Condition c) {
            int i = Integer.parseInt(label.substring("rule:".length()));
            return new EdgeLabel(test(c.rules().get(i)), "condition");
        }
        return switch (label) {
            case "noInput" -> new EdgeLabel("no input ×" + ((Node.InputNode) from).handling().noInput().max(), "retry");
            case "noMatch" -> new EdgeLabel("no match ×" + ((Node.InputNode) from).handling().noMatch().max(), "retry");
            case "otherwise" -> new EdgeLabel("otherwise", "condition");
            case "open", "closed", "holiday" -> new EdgeLabel(label, "schedule");
            case "found" -> new EdgeLabel("found", "result");
            case "notFound" -> new EdgeLabel("not found", "result");
            // a lookup fails when the service errs or answers after the node's timeout
            case "failure" -> new EdgeLabel(from instanceof Node.Lookup ? "failure/timeout" : "failure", "failure");
            case "noAgents" -> new EdgeLabel("no agents", "failure");
            case "collected" -> new EdgeLabel("entered", "next");
            case "return" -> new EdgeLabel("returned", "next");
            default -> new EdgeLabel(label, "next");
        };
    }

    /** {@code vip = true}, {@code tries ≥ 3}, {@code lang in en-US, es-US}, {@code name is set}. */
    static String test(Node.Rule r) {
        return switch (r.operator()) {
            case EQ -> r.variable() + " = " + r.value();
            case NE -> r.variable() + " ≠ " + r.value();
            case LT -> r.variable() + " < " + r.value();
            case LE -> r.variable() + " ≤ " + r.value();
            case GT -> r.variable() + " > " + r.value();
            case GE -> r.variable() + " ≥ " + r.value();
            // the reader keeps an "in" list one value a line
            case IN -> r.variable() + " in " + String.join(", ", r.value().split("\n"));
            case MATCHES -> r.variable() + " ~ /" + r.value() + "/";
            case SET -> r.variable() + " is set";
            case UNSET -> r.variable() + " is unset";
        };
    }
}
