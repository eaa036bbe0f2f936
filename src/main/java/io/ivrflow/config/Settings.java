package io.ivrflow.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the service's properties into typed values, once, at startup. A value that cannot be used is not thrown
 * at once: it is noted with its key and what is wrong, the fallback is returned so reading can go on, and
 * {@link #verify()} then reports every problem together, one line each. Secrets never appear in a message.
 *
 * <p>Subsystems read their own keys into an immutable record ({@code PlivoSettings.read(settings)}, ...); the
 * composition root reads them all and calls {@link #verify()} before it builds anything.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;
    private final List<InvalidSettings.Problem> problems = new ArrayList<>();

    private Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** Properties as a lookup gives them (Camel's properties component: files, -D options, environment). */
    public static Settings of(Function<String, Optional<String>> lookup) {
        return new Settings(lookup);
    }

    /** Fixed properties (tests, command line tools). */
    public static Settings of(Map<String, String> properties) {
        return new Settings(key -> Optional.ofNullable(properties.get(key)));
    }

    private Optional<String> raw(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A text value; missing or blank: the fallback. */
    public String text(String key, String fallback) {
        return raw(key).orElse(fallback);
    }

    /** A secret (password, token, key): blank when not set, and never shown in a problem. */
    public String secret(String key) {
        return raw(key).orElse("");
    }

    /** {@code true} or {@code false}, nothing else. */
    public boolean flag(String key, boolean fallback) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, v.get(), "expected true or false");
                yield fallback;
            }
        };
    }

    /** A whole number within bounds. */
    public int number(String key, int fallback, int min, int max) {
        return (int) whole(key, fallback, min, max, "");
    }

    /** A duration given in milliseconds, within bounds. */
    public Duration millis(String key, long fallback, long min, long max) {
        return Duration.ofMillis(whole(key, fallback, min, max, " (milliseconds)"));
    }

    /** A duration given in seconds, within bounds. */
    public Duration seconds(String key, long fallback, long min, long max) {
        return Duration.ofSeconds(whole(key, fallback, min, max, " (seconds)"));
    }

    /** A duration given in minutes, within bounds. */
    public Duration minutes(String key, long fallback, long min, long max) {
        return Duration.ofMinutes(whole(key, fallback, min, max, " (minutes)"));
    }

    private long whole(String key, long fallback, long min, long max, String unit) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            problem(key, v.get(), "expected a whole number from " + min + " to " + max + unit);
            return fallback;
        }
        if (n < min || n > max) {
            problem(key, v.get(), "expected a whole number from " + min + " to " + max + unit);
            return fallback;
        }
        return n;
    }

    /**
     * An http(s) URL without a trailing slash; blank means the fallback (which may be empty for "not set").
     */
    public String url(String key, String fallback) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return fallback;
        }
        String url = v.get();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                problem(key, v.get(), "expected an http:// or https:// URL with a host");
                return fallback;
            }
        } catch (URISyntaxException e) {
            problem(key, v.get(), "expected an http:// or https:// URL (" + e.getReason() + ")");
            return fallback;
        }
        return url;
    }

    /** One of a fixed set of words (case-blind; returned in lower case). */
    public String choice(String key, String fallback, String... allowed) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return fallback;
        }
        String word = v.get().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(word)) {
                return a;
            }
        }
        problem(key, v.get(), "expected one of " + String.join(", ", allowed));
        return fallback;
    }

    /**
     * A comma-separated list of words from a fixed set, in order, each at most once. Set to nothing, it is an empty
     * list (not the fallback, which is for a key not set at all).
     */
    public List<String> words(String key, String fallback, Set<String> allowed) {
        String v = lookup.apply(key).map(String::trim).orElse(fallback);
        Set<String> seen = new LinkedHashSet<>();
        for (String item : v.split(",")) {
            String w = item.trim().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (!allowed.contains(w)) {
                problem(key, v, "'" + item.trim() + "' is not one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
            } else if (!seen.add(w)) {
                problem(key, v, "'" + w + "' is named twice");
            }
        }
        return List.copyOf(seen);
    }

    /** {@code name=value,name=value} in order; an item without a name or a value is a problem. */
    public Map<String, String> pairs(String key) {
        Map<String, String> map = new LinkedHashMap<>();
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return map;
        }
        for (String item : v.get().split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            String name = eq <= 0 ? "" : item.substring(0, eq).trim();
            String value = eq <= 0 ? "" : item.substring(eq + 1).trim();
            if (name.isEmpty() || value.isEmpty()) {
                problem(key, v.get(), "'" + item.trim() + "' is not name=value");
                continue;
            }
            map.put(name, value);
        }
        return map;
    }

    /** A value that is wrong in the light of another (the caller says why); {@code value} may be null. */
    public void problem(String key, String value, String message) {
        problems.add(new InvalidSettings.Problem(key, value, message));
    }

    /** A secret (or a pair of settings) that is wrong: the message must not hold the value. */
    public void problem(String key, String message) {
        problem(key, null, message);
    }

    public List<InvalidSettings.Problem> problems() {
        return List.copyOf(problems);
    }

    /** Throws when anything read so far was wrong, naming every key. */
    public void verify() {
        if (!problems.isEmpty()) {
            throw new InvalidSettings(problems);
        }
    }
}
