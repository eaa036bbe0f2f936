package io.ivrflow.prompts;

/**
 * The audio a platform wants: container and sample rate. A backend that cannot make the container (the
 * local one has no MP3 encoder) makes WAV at the same rate; the cache key records what was really made.
 */
public record AudioTarget(AudioFormat format, int sampleRate) {

    /** What Asterisk plays without transcoding: 8 kHz, 16-bit, mono WAV. */
    public static final AudioTarget TELEPHONY_WAV = new AudioTarget(AudioFormat.WAV, 8000);

    public AudioTarget {
        if (sampleRate < 8000 || sampleRate > 48000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 8000-48000");
        }
    }

    /** {@code mp3}, {@code wav:8000}, {@code mp3:22050}. */
    public static AudioTarget parse(String spec) {
        String[] parts = spec.trim().split(":");
        AudioFormat f = AudioFormat.of(parts[0]);
        int rate = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : f == AudioFormat.MP3 ? 22050 : 8000;
        return new AudioTarget(f, rate);
    }

    @Override
    public String toString() {
        return format.extension() + ":" + sampleRate;
    }
}
