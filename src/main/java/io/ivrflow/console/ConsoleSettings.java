package io.ivrflow.console;

import io.ivrflow.config.Settings;

import java.time.Duration;

/**
 * The console's keypad calls ({@code ivr.console.*}).
 *
 * @param maxCalls calls kept at once; a new one beyond that replaces the one left alone longest
 * @param callIdle how long a call nobody looks at is kept
 */
public record ConsoleSettings(int maxCalls, Duration callIdle) {

    public static ConsoleSettings read(Settings s) {
        return new ConsoleSettings(s.number("ivr.console.max-calls", 50, 1, 10_000),
                s.minutes("ivr.console.call-idle-minutes", 30, 1, 24 * 60));
    }
}
