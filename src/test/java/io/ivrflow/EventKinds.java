package io.ivrflow;

import io.ivrflow.engine.Event;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kinds of {@link Event}, by the name the call log gives them ({@code digits:1} is a {@code digits}), so a test
 * can check that a driver turned its platform's happenings into every kind of event.
 */
public final class EventKinds {

    private EventKinds() {
    }

    /** Every kind there is: one per record of the sealed interface. */
    public static Set<String> all() {
        return Arrays.stream(Event.class.getPermittedSubclasses()).map(c -> kebab(c.getSimpleName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public static String of(Event e) {
        return kebab(e.getClass().getSimpleName());
    }

    /** The kind of a call log line's {@code event=} value. */
    public static String ofLogged(String value) {
        String head = value.contains(":") ? value.substring(0, value.indexOf(':')) : value;
        return head.equals("recording") ? "recording-changed" : head;
    }

    /**
     * Every kind was seen, but the ones a platform cannot produce, each with the reason.
     *
     * @param cannot kind → why this driver never produces it
     */
    public static void assertEveryKindSeen(String driver, Set<String> seen, Map<String, String> cannot) {
        Set<String> expected = new TreeSet<>(all());
        expected.removeAll(cannot.keySet());
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, driver + " never gave the engine these kinds of event (seen: " + seen + ")");
    }

    /**
     * A last test for a stream of scenario tests on one platform: from now on the call log is read, and once the
     * scenarios have run every kind of event must have come from that platform's side.
     */
    public static org.junit.jupiter.api.DynamicTest seenOn(String platform, Map<String, String> cannot) {
        LogCapture log = LogCapture.open();
        return org.junit.jupiter.api.DynamicTest.dynamicTest("every kind of event came from " + platform, () -> {
            try (log) {
                Set<String> seen = log.messages("io.ivrflow.calls").stream()
                        .filter(l -> l.contains(" platform=" + platform + " "))
                        .map(l -> l.replaceAll(".* event=(\\S+).*", "$1")).map(EventKinds::ofLogged)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEveryKindSeen(platform, seen, cannot);
            }
        });
    }

    private static String kebab(String simpleName) {
        return simpleName.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
