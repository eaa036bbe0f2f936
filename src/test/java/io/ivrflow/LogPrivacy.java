package io.ivrflow;

import io.ivrflow.sim.Scenario;
import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must never reach a log line, gathered while calls run (callers' and called numbers, digits typed at
 * collect nodes, state and auth tokens, passwords), and the check of every line captured at every level.
 */
public final class LogPrivacy {

    private static final Pattern STATE_TOKEN = Pattern.compile("[?&](?:amp;)?s=([A-Za-z0-9_-]{24,})");

    private static final String TYPED_DIGITS = "digits a caller typed";

    /** Value → what it is (shown in a failure instead of the value). */
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    /** A phone number: neither it nor its national part (the last ten digits) may show. */
    public void number(String number) {
        if (number == null) {
            return;
        }
        String digits = number.replaceAll("[^0-9]", "");
        if (digits.length() >= 7) {
            secrets.put(digits.length() > 10 ? digits.substring(digits.length() - 10) : digits, "a phone number");
        }
    }

    /**
     * The scenario's numbers and the digits it types (entries of four keys or more: not menu choices, and long
     * enough to be told from the digits of an exchange id).
     */
    public void scenario(Scenario s, String defaultCaller, String defaultCalled) {
        number(s.caller() == null ? defaultCaller : s.caller());
        number(s.called() == null ? defaultCalled : s.called());
        for (Scenario.Step step : s.steps()) {
            if (step instanceof Scenario.Press p) {
                String digits = p.keys().replaceAll("[^0-9]", "");
                if (digits.length() >= 4) {
                    secrets.put(digits, TYPED_DIGITS);
                }
            }
        }
    }

    /** Every state token in these documents (a prefix of one is enough to give it away). */
    public void stateTokensIn(List<String> documents) {
        for (String d : documents) {
            Matcher m = STATE_TOKEN.matcher(d);
            while (m.find()) {
                secrets.put(m.group(1).substring(0, 24), "a state token");
            }
        }
    }

    /**
     * Short entries (an expiry date, a PIN) can equal a counter of a library's line (a delivery tag, a class
     * number); in libraries' lines they are looked for only where typed digits would stand.
     */
    private static final int SHORT = 6;
    private static final Pattern TYPED = Pattern.compile("(?i)(digits|dtmf)\\W{0,3}$");

    /**
     * Where the value stands on its own (not inside a longer run of letters and digits, nor as a counter's value),
     * or -1.
     */
    private static int standalone(String line, String value) {
        for (int at = line.indexOf(value); at >= 0; at = line.indexOf(value, at + 1)) {
            int end = at + value.length();
            if ((at == 0 || !partOfAWord(line.charAt(at - 1))) && (end == line.length() || !partOfAWord(line.charAt(end)))) {
                return at;
            }
        }
        return -1;
    }

    private static boolean partOfAWord(char c) {
        return Character.isLetterOrDigit(c) || c == '$' || c == '_';
    }

    public void secret(String value, String what) {
        secrets.put(value, what);
    }

    /**
     * The last test of a run: closes the capture and finds no secret in any line. The capture must hold DEBUG and
     * TRACE lines of the service itself, or the check would prove nothing.
     */
    public DynamicTest check(String platform, LogCapture capture) {
        return DynamicTest.dynamicTest("no log line at any level holds a number, typed digits, a token or a secret",
                () -> {
                    capture.close();
                    List<LogCapture.Line> lines = capture.lines();
                    assertTrue(lines.stream().anyMatch(l -> l.level().equals("DEBUG") && l.logger().startsWith("io.ivrflow")),
                            "no DEBUG line of the service was captured");
                    assertTrue(lines.stream().anyMatch(l -> l.level().equals("TRACE")),
                            "no TRACE line was captured");
                    assertTrue(secrets.size() > 20, platform + ": too few values to look for: " + secrets.size());
                    // one example per kind of secret and logger, the secret itself shown as what it is
                    Map<String, String> leaks = new java.util.TreeMap<>();
                    int count = 0;
                    for (LogCapture.Line line : lines) {
                        // what is printed, masks applied, for every logger; the raw message for ivrflow's own,
                        // which must not need the masks
                        boolean own = line.logger().startsWith("io.ivrflow");
                        for (String text : own ? List.of(line.printed(), line.message()) : List.of(line.printed())) {
                            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                                int at = standalone(text, secret.getKey());
                                if (at >= 0 && !own && secret.getKey().length() < SHORT
                                        && secret.getValue().equals(TYPED_DIGITS)
                                        && !TYPED.matcher(text.substring(Math.max(0, at - 10), at)).find()) {
                                    continue;
                                }
                                if (at >= 0) {
                                    count++;
                                    String clip = text.substring(Math.max(0, at - 80),
                                            Math.min(text.length(), at + secret.getKey().length() + 40))
                                            .replace(secret.getKey(), "<" + secret.getValue() + ">");
                                    leaks.putIfAbsent(secret.getValue() + " in " + line.level() + " "
                                            + line.logger() + (text == line.message() ? " (unmasked)" : ""), clip);
                                }
                            }
                        }
                    }
                    assertEquals(Map.of(), leaks, platform + ": " + count + " leak(s) in " + lines.size() + " lines");
                });
    }
}
