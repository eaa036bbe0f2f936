package io.ivrflow.prompts;

import java.util.Locale;

/** Containers the platforms play: MP3 or WAV (16-bit mono PCM). */
public enum AudioFormat {
    MP3("mp3", "audio/mpeg"),
    WAV("wav", "audio/wav");

    private final String extension;
    private final String contentType;

    AudioFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** {@code mp3} / {@code wav}, any case. */
    public static AudioFormat of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public static AudioFormat ofExtension(String ext) {
        for (AudioFormat f : values()) {
            if (f.extension.equalsIgnoreCase(ext)) {
                return f;
            }
        }
        return null;
    }
}
