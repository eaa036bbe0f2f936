package io.ivrflow.wazo;

import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.PromptResolver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What Wazo plays for a prompt. calld plays media only ({@code sound:}, {@code digits:}, {@code number:},
 * {@code tone:} ...), it has no text to speech, so:
 * <ul>
 *   <li>an {@code audio} value that is already a media URI ({@code tone:beep}, {@code digits:${code}}) is played
 *       as it is;</li>
 *   <li>a recorded file ({@code audio/chime.wav}) is played from the sounds folder Wazo reads, without its
 *       extension (Asterisk picks the format);</li>
 *   <li>text and SSML are played from the synthesised file the prompt resolver gives ({@code <key>.wav}, put in
 *       the sounds folder by {@link WazoSounds}); dynamic words may take up to the resolver's deadline, and
 *       when there is no audio at all, the fallback sound plays rather than silence.</li>
 * </ul>
 * Without a resolver (tests of the call handling), text is played from {@code tts/<hash of language, voice,
 * words>}.
 */
public class PromptMedia {

    private final String soundsDirectory;
    private final PromptResolver resolver;
    private final Platform platform;
    private final String fallback;

    /** @param soundsDirectory folder on the Wazo host with the flows' audio, e.g. {@code /var/lib/wazo/sounds/ivrflow} */
    public PromptMedia(String soundsDirectory) {
        this(soundsDirectory, null, null, "sound:beep");
    }

    public PromptMedia(String soundsDirectory, PromptResolver resolver, Platform platform, String fallback) {
        this.soundsDirectory = soundsDirectory.endsWith("/") ? soundsDirectory.substring(0, soundsDirectory.length() - 1)
                : soundsDirectory;
        this.resolver = resolver;
        this.platform = platform;
        this.fallback = fallback;
    }

    /** What to play for a prompt: one media URI per prompt, in Wazo's language form; done at once unless being made. */
    public List<CompletableFuture<WazoCall.Playback>> playbacks(RenderedPrompt p) {
        String language = language(p.language());
        if (resolver == null || (p.audio() != null && PromptResolver.MEDIA_URI.matcher(p.audio()).matches())) {
            return List.of(CompletableFuture.completedFuture(new WazoCall.Playback(uri(p), language)));
        }
        return List.of(resolver.resolve(p, platform).thenApply(r -> new WazoCall.Playback(uri(p, r), language)));
    }

    private String uri(RenderedPrompt p, PromptResolver.Resolved r) {
        if (r instanceof PromptResolver.Resolved.Recorded rec && !rec.audio().contains("://")) {
            return recorded(rec.audio());
        }
        if (r instanceof PromptResolver.Resolved.Synthesised s) {
            return "sound:" + soundsDirectory + "/" + s.entry().key();
        }
        return fallback; // a URL (Asterisk cannot fetch one), or nothing made in time
    }

    String uri(RenderedPrompt p) {
        if (p.audio() != null && PromptResolver.MEDIA_URI.matcher(p.audio()).matches()) {
            return p.audio();
        }
        if (p.audio() != null && !p.audio().contains("://")) {
            return recorded(p.audio());
        }
        String words = p.ssml() != null ? "ssml:" + p.ssml() : "text:" + (p.text() == null ? "" : p.text());
        return "sound:" + soundsDirectory + "/tts/" + key(p.language() + "\n" + p.voice() + "\n" + words);
    }

    private String recorded(String path) {
        return "sound:" + soundsDirectory + "/" + path.replaceAll("\\.(wav|mp3|gsm|ulaw|alaw|sln|g722)$", "");
    }

    /** {@code en-US} → {@code en_US}, the form Asterisk's sound folders use. */
    static String language(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String[] parts = tag.split("[-_]");
        return parts.length == 1 ? parts[0].toLowerCase(Locale.ROOT)
                : parts[0].toLowerCase(Locale.ROOT) + "_" + parts[1].toUpperCase(Locale.ROOT);
    }

    private static String key(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
