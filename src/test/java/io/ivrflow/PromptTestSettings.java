package io.ivrflow;

import java.util.Map;

/** Prompt settings for route tests that are not about prompts. */
public final class PromptTestSettings {

    private PromptTestSettings() {
    }

    /**
     * No synthesis at all: recorded files, then the platform's TTS (Plivo's Speak; Wazo's fallback sound), so what
     * a test expects does not depend on what a background synthesis has cached meanwhile.
     */
    public static void noSynthesis(Map<? super String, ? super String> p) {
        p.put("ivr.prompts.order", "recorded,platform");
        p.put("ivr.prompts.pregenerate-on-start", "false");
        p.put("ivr.prompts.cache-directory", "target/prompt-cache-untouched");
    }
}
