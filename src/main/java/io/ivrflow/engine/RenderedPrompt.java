package io.ivrflow.engine;

/**
 * A prompt ready to say: one language, variables filled in, with every form the flow gave so the
 * adapter can fall back from recorded audio to SSML to text.
 */
public record RenderedPrompt(String key, String language, String voice, String text, String ssml, String audio) {

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
