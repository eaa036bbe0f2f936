package io.ivrflow.flow;

/**
 * A declared way out of a node, as the linter and the coverage report see it.
 *
 * @param from    node id
 * @param label   what takes the edge: {@code key:1}, {@code noInput}, {@code noMatch}, {@code open}, {@code found}...
 * @param target  node id in the same flow
 * @param pointer JSON pointer of the reference, for diagnostics
 */
public record Edge(String from, String label, String target, String pointer) {

    /** Identity used by the coverage report. */
    public String key() {
        return from + " -[" + label + "]-> " + target;
    }
}
