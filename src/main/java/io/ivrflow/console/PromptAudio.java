package io.ivrflow.console;

import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.prompts.AudioCache;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.PromptResolver;
import io.ivrflow.prompts.Prompts;
import io.ivrflow.prompts.SpeechRequest;

import java.util.Optional;

/**
 * What the console can play for a prompt: its recorded file, or audio already synthesised for its words (what a
 * Plivo caller hears), served same-origin from the management port ({@code /console/audio/...} and
 * {@code /console/prompts/audio/...}, the business port's {@code /audio} and {@code /prompts/audio} under
 * {@code /console}). Nothing is synthesised here: a prompt without audio is shown as words the platform speaks.
 */
public final class PromptAudio {

    /** Where {@code /audio/...} and {@code /prompts/audio/...} are served on the management port. */
    public static final String BASE = "/console";

    /**
     * @param url    same-origin URL of the audio; null when the console has none to play
     * @param source {@code recorded}, {@code synthesised}, {@code media} (a platform sound such as
     *               {@code tone:beep}), {@code remote} (a URL elsewhere, never fetched by the console) or
     *               {@code tts} (the platform speaks the words)
     * @param detail the file or media named by the flow; for {@code tts}, why there is no audio when the flow
     *               named a recording
     */
    public record Sound(String url, String source, String detail) {
    }

    private final AudioFiles recorded;
    private final Prompts prompts;

    /** @param prompts null: recorded files only (nothing synthesised is looked for) */
    public PromptAudio(String flowsDirectory, Prompts prompts) {
        this.recorded = new AudioFiles(flowsDirectory);
        this.prompts = prompts;
    }

    public Sound of(RenderedPrompt p) {
        String missing = null;
        if (p.audio() != null) {
            if (PromptResolver.MEDIA_URI.matcher(p.audio()).matches()) {
                return new Sound(null, "media", p.audio());
            }
            if (p.audio().contains("://")) {
                return new Sound(null, "remote", p.audio());
            }
            Optional<String> url = recorded.url(BASE, p.audio());
            if (url.isPresent()) {
                return new Sound(url.get(), "recorded", p.audio());
            }
            missing = "recorded file " + p.audio() + " is missing";
        }
        Optional<AudioCache.Entry> cached = synthesised(p);
        if (cached.isPresent()) {
            return new Sound(BASE + "/prompts/audio/" + cached.get().fileName(), "synthesised",
                    cached.get().fileName());
        }
        return new Sound(null, "tts", missing);
    }

    /** Audio made for these very words for Plivo, when callers are played synthesised audio at all. */
    private Optional<AudioCache.Entry> synthesised(RenderedPrompt p) {
        if (prompts == null) {
            return Optional.empty();
        }
        PromptResolver resolver = prompts.resolver();
        if (!resolver.playsSynthesised()) {
            return Optional.empty();
        }
        return SpeechRequest.of(p, prompts.platform("plivo").target()).flatMap(resolver.speech()::cached);
    }
}
