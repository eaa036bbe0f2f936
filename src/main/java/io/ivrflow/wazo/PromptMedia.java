package io.ivrflow.wazo;

import io.ivrflow.engine.RenderedPrompt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What Wazo plays for a prompt. calld plays media only ({@code sound:}, {@code digits:}, {@code number:},
 * {@code tone:} ...), it has no text to speech, so:
 * <ul>
 *   <li>an {@code audio} value that is already a media URI ({@code tone:beep}, {@code digits:${code}}) is played
 *       as it is;</li>
 *   <li>a recorded file ({@code audio/chime.wav}) is played from the sounds folder Wazo reads, without its
 *       extension (Asterisk picks the format);</li>
 *   <li>text and SSML are played from the synthesised-prompt folder under a name derived from what changes the
 *       audio (language, voice, words), where the prompt pre-generation writes them.</li>
 * </ul>
 */
public class PromptMedia {

    private static final Pattern MEDIA_URI = Pattern.compile("^(sound|digits|number|tone|characters|recording):.+");

    private final String soundsDirectory;

    /** @param soundsDirectory folder on the Wazo host with the flows' audio, e.g. {@code /var/lib/wazo/sounds/ivrflow} */
    public PromptMedia(String soundsDirectory) {
        this.soundsDirectory = soundsDirectory.endsWith("/") ? soundsDirectory.substring(0, soundsDirectory.length() - 1)
                : soundsDirectory;
    }

    /** What to play for a prompt: one media URI per prompt, in Wazo's language form. */
    public List<WazoCall.Playback> playbacks(RenderedPrompt p) {
        return List.of(new WazoCall.Playback(uri(p), language(p.language())));
    }

    String uri(RenderedPrompt p) {
        if (p.audio() != null && MEDIA_URI.matcher(p.audio()).matches()) {
            return p.audio();
        }
        if (p.audio() != null && !p.audio().contains("://")) {
            String path = p.audio().replaceAll("\\.(wav|mp3|gsm|ulaw|alaw|sln|g722)$", "");
            return "sound:" + soundsDirectory + "/" + path;
        }
        String words = p.ssml() != null ? "ssml:" + p.ssml() : "text:" + (p.text() == null ? "" : p.text());
        return "sound:" + soundsDirectory + "/tts/" + key(p.language() + "\n" + p.voice() + "\n" + words);
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
