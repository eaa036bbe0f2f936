package io.ivrflow.prompts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Exactly what one backend is asked to say, so everything that changes the audio is here and nothing else:
 * its {@link #key()} names the cached file.
 *
 * @param backend    {@code polly}, {@code local}
 * @param engine     backend engine ({@code standard}, {@code neural}; the local backend's program)
 * @param voice      backend voice id ({@code Joanna}, {@code en-us})
 * @param language   BCP 47 tag
 * @param ssml       whether {@code text} is an SSML document
 * @param text       the words
 * @param format     container produced
 * @param sampleRate Hz
 */
public record SpeechSpec(String backend, String engine, String voice, String language, boolean ssml, String text,
                         AudioFormat format, int sampleRate) {

    /** Bumped when the way audio is made changes for the same inputs, so old files are not reused. */
    private static final String VERSION = "ivrflow-speech-1";

    /** 128 bits of SHA-256 over every field, each length-prefixed so no two specs can collide by concatenation. */
    public String key() {
        StringBuilder s = new StringBuilder(VERSION);
        for (String field : new String[] {backend, engine, voice, language, ssml ? "ssml" : "text", format.name(),
                Integer.toString(sampleRate), text}) {
            String v = field == null ? "" : field;
            s.append('\n').append(v.length()).append(':').append(v);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
