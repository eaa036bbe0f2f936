package io.ivrflow.flow;

import java.time.Duration;

/**
 * How digits are gathered at an input node. The semantics are written down in docs/input-semantics.md.
 *
 * @param firstDigitTimeout time allowed for the first key, counted from the end of the prompt
 * @param interDigitTimeout time allowed between two keys; when it runs out the entry is submitted
 * @param terminator        key that submits the entry ({@code "#"}, {@code "*"} or a digit); empty for none
 * @param minDigits         shortest acceptable entry
 * @param maxDigits         the entry is submitted as soon as it has this many digits
 * @param bargeIn           whether a key pressed during the prompt stops it and counts
 */
public record InputSpec(Duration firstDigitTimeout, Duration interDigitTimeout, String terminator,
                        int minDigits, int maxDigits, boolean bargeIn) {

    public static final Duration DEFAULT_FIRST_DIGIT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_INTER_DIGIT_TIMEOUT = Duration.ofSeconds(3);

    public boolean hasTerminator() {
        return terminator != null && !terminator.isEmpty();
    }

    public boolean isTerminator(char key) {
        return hasTerminator() && terminator.charAt(0) == key;
    }
}
