package io.ivrflow.flow;

/**
 * What menus, digit collection and language choice have in common: how digits are read, the short
 * re-prompt, separate no-input and no-match budgets, and the final fallback.
 *
 * @param input    timers, terminator and lengths
 * @param reprompt said instead of the full prompt after a failed attempt; null repeats the prompt
 * @param noInput  budget for attempts with no key at all
 * @param noMatch  budget for entries that are not acceptable
 * @param fallback exit for a spent budget that names no exit of its own
 */
public record InputHandling(InputSpec input, Prompt reprompt, RetryPolicy noInput, RetryPolicy noMatch,
                            String fallback) {

    public String noInputExit() {
        return noInput.next() != null ? noInput.next() : fallback;
    }

    public String noMatchExit() {
        return noMatch.next() != null ? noMatch.next() : fallback;
    }
}
