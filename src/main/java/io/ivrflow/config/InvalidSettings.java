package io.ivrflow.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings the service cannot start with. Each problem is one line that names the property and says what is
 * wrong; the message holds them all, so the startup failure says everything at once.
 */
public final class InvalidSettings extends RuntimeException {

    /** One wrong setting; {@code value} is null when it must not be shown (a secret) or is not one value. */
    public record Problem(String key, String value, String message) {
        public String line() {
            return value == null ? key + ": " + message : key + " = \"" + shown(value) + "\": " + message;
        }

        private static String shown(String value) {
            String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
            return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
        }
    }

    private final List<Problem> problems;

    public InvalidSettings(List<Problem> problems) {
        super(problems.stream().map(Problem::line).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
