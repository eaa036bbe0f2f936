package io.ivrflow.prompts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * 16-bit PCM WAV: read (any rate, mono or stereo, including the streamed headers espeak-ng writes with unknown
 * sizes), write (mono, canonical 44-byte header) and resample to the rate a platform plays.
 */
public final class Wav {

    /** Mono samples at a rate. */
    public record Pcm(int sampleRate, short[] samples) {
        public Duration duration() {
            return Duration.ofNanos(samples.length * 1_000_000_000L / sampleRate);
        }
    }

    /** What a WAV header says. */
    public record Header(int format, int channels, int sampleRate, int bitsPerSample, int dataBytes) {
        public Duration duration() {
            int frame = channels * bitsPerSample / 8;
            return Duration.ofNanos(frame == 0 ? 0 : (long) dataBytes / frame * 1_000_000_000L / sampleRate);
        }
    }

    private Wav() {
    }

    public static Header header(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF" ... "WAVE"
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                bits = Short.toUnsignedInt(b.getShort(body + 14));
            } else if (id == 0x61746164) { // "data": a streamed file (espeak-ng --stdout) gives a size past the end: the rest of the file is data
                if (format < 0) {
                    throw new IllegalArgumentException("data chunk before fmt chunk");
                }
                int available = wav.length - body;
                int data = size > available ? available : (int) size;
                return new Header(format, channels, rate, bits, data);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new IllegalArgumentException("no data chunk");
    }

    /** Samples of a 16-bit PCM WAV, mixed down to mono. */
    public static Pcm read(byte[] wav) {
        Header h = header(wav);
        if (h.format() != 1 || h.bitsPerSample() != 16 || h.channels() < 1 || h.sampleRate() <= 0) {
            throw new IllegalArgumentException("only 16-bit PCM WAV is supported (format " + h.format() + ", "
                    + h.bitsPerSample() + " bits, " + h.channels() + " channels)");
        }
        int dataStart = dataOffset(wav);
        ByteBuffer b = ByteBuffer.wrap(wav, dataStart, h.dataBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int frames = h.dataBytes() / (2 * h.channels());
        short[] out = new short[frames];
        for (int i = 0; i < frames; i++) {
            int sum = 0;
            for (int c = 0; c < h.channels(); c++) {
                sum += b.getShort();
            }
            out[i] = (short) (sum / h.channels());
        }
        return new Pcm(h.sampleRate(), out);
    }

    private static int dataOffset(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (b.getInt(pos) == 0x61746164) {
                return pos + 8;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, pos + 8 + size + (size & 1));
        }
        throw new IllegalArgumentException("no data chunk");
    }

    /** Raw little-endian 16-bit mono samples (Polly's {@code pcm}) with a WAV header. */
    public static byte[] fromRaw(byte[] pcm16le, int sampleRate) {
        short[] s = new short[pcm16le.length / 2];
        ByteBuffer.wrap(pcm16le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return write(new Pcm(sampleRate, s));
    }

    /** A canonical mono 16-bit PCM WAV file. */
    public static byte[] write(Pcm pcm) {
        int data = pcm.samples().length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + data).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(pcm.sampleRate())
                .putInt(pcm.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(data);
        for (short s : pcm.samples()) {
            b.putShort(s);
        }
        return b.array();
    }

    /**
     * Band-limited resampling: each output sample is the input convolved with a Blackman-windowed sinc whose cutoff
     * sits just under the lower of the two Nyquist frequencies, so speech at 22.05 kHz going to 8 kHz keeps its
     * band (up to about 3.8 kHz) without the aliasing a plain decimation would add.
     */
    public static Pcm resample(Pcm in, int rate) {
        if (in.sampleRate() == rate || in.samples().length == 0) {
            return new Pcm(rate, in.samples().clone());
        }
        double ratio = (double) rate / in.sampleRate();
        double cutoff = 0.95 * Math.min(1.0, ratio);
        int half = (int) Math.ceil(8 / cutoff);
        short[] x = in.samples();
        int n = (int) Math.floor(x.length * ratio);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double t = i / ratio;
            int centre = (int) Math.floor(t);
            double acc = 0;
            for (int k = centre - half + 1; k <= centre + half; k++) {
                if (k < 0 || k >= x.length) {
                    continue;
                }
                double d = t - k;
                acc += x[k] * cutoff * sinc(cutoff * d) * blackman(d / half);
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc)));
        }
        return new Pcm(rate, out);
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Blackman window over [-1, 1]. */
    private static double blackman(double u) {
        if (Math.abs(u) >= 1) {
            return 0;
        }
        double a = Math.PI * (u + 1);
        return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
    }
}
