package io.ivrflow.flow;

import java.util.Map;
import java.util.Optional;

/**
 * What the caller hears at one point of a flow, in every language the flow declares.
 *
 * @param key        stable identity of the prompt inside its flow (node id + role, or the library name);
 *                   the prompts module derives cache keys from it
 * @param byLanguage variant per language code (e.g. {@code en-US})
 * @param pointer    JSON pointer of the prompt in its file, for diagnostics
 */
public record Prompt(String key, Map<String, PromptVariant> byLanguage, String pointer) {

    public Prompt {
        byLanguage = Map.copyOf(byLanguage);
    }

    /** The variant for a language, or the default language's when the language has none. */
    public Optional<PromptVariant> variant(String language, String defaultLanguage) {
        PromptVariant v = byLanguage.get(language);
        if (v == null) {
            v = byLanguage.get(defaultLanguage);
        }
        if (v == null && !byLanguage.isEmpty()) {
            v = byLanguage.values().iterator().next();
        }
        return Optional.ofNullable(v);
    }
}
