package io.ivrflow.flow;

import java.util.List;

/**
 * The budget for one kind of failed attempt (no input, or no match) at an input node.
 *
 * @param max     failed attempts the caller may make; the max-th one takes the exit
 * @param prompts said before the re-prompt, one per failed attempt (the last one repeats); may be empty
 * @param next    exit taken when the budget is spent; null means the node's fallback
 */
public record RetryPolicy(int max, List<Prompt> prompts, String next) {

    public static final int DEFAULT_MAX = 3;

    public RetryPolicy {
        prompts = List.copyOf(prompts);
    }

    /** The prompt for the given failed attempt (1-based), tapering to the last one given. */
    public Prompt promptFor(int attempt) {
        if (prompts.isEmpty()) {
            return null;
        }
        return prompts.get(Math.min(attempt, prompts.size()) - 1);
    }
}
