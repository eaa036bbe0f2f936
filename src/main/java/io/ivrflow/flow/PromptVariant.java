package io.ivrflow.flow;

/**
 * One language's version of a prompt. Resolution order (recorded audio, then SSML, then text) is the
 * prompts module's business; the engine passes all three on so an adapter can fall back.
 *
 * @param text  plain text for TTS; may hold {@code ${variable}} references
 * @param ssml  SSML document for TTS; may hold {@code ${variable}} references (values are XML-escaped)
 * @param audio reference to a recorded file (path relative to the flows directory, or an absolute URL)
 */
public record PromptVariant(String text, String ssml, String audio) {

    public static PromptVariant ofText(String text) {
        return new PromptVariant(text, null, null);
    }

    /** Words a listener would hear; used by the simulator to estimate playback length. */
    public String spokenText() {
        if (text != null) {
            return text;
        }
        if (ssml != null) {
            return ssml.replaceAll("<[^>]*>", " ");
        }
        return "";
    }
}
