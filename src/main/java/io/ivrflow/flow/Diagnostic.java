package io.ivrflow.flow;

/**
 * A problem found in a flow file, located by JSON pointer (and line/column when known).
 *
 * @param rule short rule name, e.g. {@code unknown-target}
 */
public record Diagnostic(Severity severity, String file, String pointer, int line, int column, String rule,
                         String message) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: error [rule] /pointer: message}, the shape CI log parsers understand. */
    public String format() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + severity.name().toLowerCase() + " [" + rule + "] "
                + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }

    public Diagnostic at(int newLine, int newColumn) {
        return new Diagnostic(severity, file, pointer, newLine, newColumn, rule, message);
    }
}
