package io.ivrflow.engine;

import io.ivrflow.flow.PromptVariant;

import java.util.Map;

/**
 * A prompt ready to say: one language, variables filled in, with every form the flow gave so the
 * adapter can fall back from recorded audio to SSML to text.
 *
 * @param template the flow's variant before variables were filled in (null when the engine made the words)
 */
public record RenderedPrompt(String key, String language, String voice, String text, String ssml, String audio,
                             PromptVariant template) {

    public RenderedPrompt(String key, String language, String voice, String text, String ssml, String audio) {
        this(key, language, voice, text, ssml, audio, null);
    }

    /** Whether the words depend on the call (a variable), so they cannot all be made ahead of time. */
    public boolean dynamic() {
        return template != null && (has(template.text()) || has(template.ssml()));
    }

    private static boolean has(String s) {
        return s != null && s.contains("${");
    }

    /** The words with every variable left empty: what can be made ahead as the fallback of a dynamic prompt. */
    public RenderedPrompt generic() {
        if (!dynamic()) {
            return this;
        }
        return new RenderedPrompt(key, language, voice, Templates.fill(template.text(), Map.of()),
                Templates.fill(template.ssml(), Map.of(), true), audio, null);
    }

    /** What the caller hears, for traces and the simulator: text, else SSML without tags, else the audio name. */
    public String heard() {
        if (text != null) {
            return text;
        }
        if (ssml != null) {
            return ssml.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").replaceAll(" ([.,!?;:])", "$1").trim()
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                    .replace("&amp;", "&");
        }
        return "[audio " + audio + "]";
    }
}
