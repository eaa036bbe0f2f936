package io.ivrflow.prompts;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WavTest {

    static Wav.Pcm tone(double hz, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return new Wav.Pcm(rate, s);
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    static int zeroCrossings(short[] s, int from, int to) {
        int n = 0;
        for (int i = from + 1; i < to; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void writesACanonicalMonoHeaderAndReadsItBack() {
        Wav.Pcm pcm = new Wav.Pcm(8000, new short[] {0, 1000, -1000, 32767, -32768});
        byte[] file = Wav.write(pcm);
        assertEquals(44 + 10, file.length);
        Wav.Header h = Wav.header(file);
        assertEquals(1, h.format());
        assertEquals(1, h.channels());
        assertEquals(8000, h.sampleRate());
        assertEquals(16, h.bitsPerSample());
        assertEquals(10, h.dataBytes());
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(16000, b.getInt(28), "byte rate");
        assertEquals(2, b.getShort(32), "block align");
        assertArrayEquals(pcm.samples(), Wav.read(file).samples());
    }

    @Test
    void readsAStreamedHeaderWhoseSizesRunPastTheEnd() {
        byte[] file = Wav.write(new Wav.Pcm(22050, new short[] {5, 6, 7}));
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0x7ffff024).putInt(40, 0x7ffff000);
        assertArrayEquals(new short[] {5, 6, 7}, Wav.read(file).samples());
    }

    @Test
    void wrapsRawPcmWithAHeader() {
        byte[] raw = {1, 0, 2, 0, (byte) 0xff, (byte) 0xff};
        Wav.Pcm pcm = Wav.read(Wav.fromRaw(raw, 8000));
        assertEquals(8000, pcm.sampleRate());
        assertArrayEquals(new short[] {1, 2, -1}, pcm.samples());
    }

    @Test
    void refusesWhatIsNotPcmWav() {
        assertThrows(IllegalArgumentException.class, () -> Wav.read("ID3 an mp3 file".getBytes()));
    }

    @Test
    void resamplingKeepsTheSpeechBandAndItsDuration() {
        Wav.Pcm in = tone(1000, 22050, 1.0, 10000);
        Wav.Pcm out = Wav.resample(in, 8000);
        assertEquals(8000, out.sampleRate());
        assertEquals(8000, out.samples().length, 1);
        assertEquals(Duration.ofSeconds(1).toMillis(), out.duration().toMillis(), 1);
        // away from the edges: same loudness (10000 / sqrt 2) and still 1 kHz (2000 zero crossings a second)
        assertEquals(7071, rms(out.samples(), 400, 7600), 150);
        assertEquals(2000 * 0.9, zeroCrossings(out.samples(), 400, 7600), 4);
    }

    @Test
    void resamplingRemovesWhatTheNewRateCannotCarryInsteadOfAliasingIt() {
        // 5 kHz is above 8 kHz's Nyquist (4 kHz): plain decimation would fold it to 3 kHz at full loudness
        Wav.Pcm out = Wav.resample(tone(5000, 22050, 1.0, 10000), 8000);
        double left = rms(out.samples(), 400, 7600);
        assertTrue(left < 7071 * 0.05, "5 kHz attenuated by more than 26 dB, rms left " + left);
    }
}
