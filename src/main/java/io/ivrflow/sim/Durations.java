package io.ivrflow.sim;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short durations as people write them in scripts: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: \"" + text + "\" (write 500ms, 5s, 2m or 1h)");
        }
        double n = Double.parseDouble(m.group(1));
        long factor = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Duration.ofMillis(Math.round(n * factor));
    }
}
