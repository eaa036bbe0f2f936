package io.ivrflow.prompts;

import io.ivrflow.engine.RenderedPrompt;

import java.util.Optional;

/**
 * Words to turn into audio, as a flow states them: text or SSML, language, the flow's voice for that language
 * (Plivo's naming, e.g. {@code Polly.Joanna}, may be null), and the audio the platform wants. Each backend
 * maps it to its own exact {@link SpeechSpec}.
 */
public record SpeechRequest(String text, boolean ssml, String language, String voice, AudioTarget target) {

    /** The words of a prompt (SSML when it has some, else text), or empty when it has no words. */
    public static Optional<SpeechRequest> of(RenderedPrompt p, AudioTarget target) {
        String words = p.ssml() != null ? p.ssml() : p.text();
        if (words == null || words.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new SpeechRequest(words, p.ssml() != null, p.language() == null ? "en-US" : p.language(),
                p.voice(), target));
    }
}
