package io.ivrflow.prompts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real espeak-ng (installed by .ci/run). */
class LocalSpeechTest {

    private final LocalSpeech local = new LocalSpeech();

    private static SpeechRequest request(String words, boolean ssml, String language, AudioTarget target) {
        return new SpeechRequest(words, ssml, language, "Polly.Joanna", target);
    }

    private byte[] say(String words, boolean ssml, String language, AudioTarget target) throws Exception {
        SpeechSpec spec = local.spec(request(words, ssml, language, target)).orElseThrow();
        return local.synthesise(spec);
    }

    @Test
    void makesTelephonyWavAtEightKilohertzSixteenBitMono() throws Exception {
        byte[] wav = say("Thank you for calling Acme. For sales, press 1.", false, "en-US", AudioTarget.TELEPHONY_WAV);
        Wav.Header h = Wav.header(wav);
        assertEquals(1, h.format(), "PCM");
        assertEquals(8000, h.sampleRate());
        assertEquals(16, h.bitsPerSample());
        assertEquals(1, h.channels());
        assertEquals(44 + h.dataBytes(), wav.length, "canonical 44-byte header");
        Duration d = h.duration();
        assertTrue(d.compareTo(Duration.ofMillis(1500)) > 0 && d.compareTo(Duration.ofSeconds(8)) < 0,
                "a ten-word sentence lasts seconds, not " + d);
        assertTrue(WavTest.rms(Wav.read(wav).samples(), 0, Wav.read(wav).samples().length) > 300, "not silence");
    }

    @Test
    void moreWordsLastLongerAndTheRateIsTheOneAskedFor() throws Exception {
        byte[] shortOne = say("Goodbye.", false, "en-US", new AudioTarget(AudioFormat.WAV, 16000));
        byte[] longOne = say("Our offices are closed. Please call again between nine and five, Monday to Friday.",
                false, "en-US", new AudioTarget(AudioFormat.WAV, 16000));
        assertEquals(16000, Wav.header(shortOne).sampleRate());
        assertTrue(Wav.header(longOne).duration().compareTo(Wav.header(shortOne).duration().multipliedBy(3)) > 0);
    }

    @Test
    void spanishForTheUnitedStatesUsesTheLatinAmericanVoiceAndMp3AsksGiveWav() {
        SpeechSpec spec = local.spec(request("Gracias por llamar.", false, "es-US",
                new AudioTarget(AudioFormat.MP3, 22050))).orElseThrow();
        assertEquals("es-419", spec.voice());
        assertEquals(AudioFormat.WAV, spec.format(), "no MP3 encoder offline");
        assertEquals(22050, spec.sampleRate());
    }

    @Test
    void ssmlPausesAreHeard() throws Exception {
        byte[] plain = say("<speak>One. Two.</speak>", true, "en-US", AudioTarget.TELEPHONY_WAV);
        byte[] paused = say("<speak>One. <break time=\"2s\"/> Two.</speak>", true, "en-US", AudioTarget.TELEPHONY_WAV);
        long gap = Wav.header(paused).duration().minus(Wav.header(plain).duration()).toMillis();
        assertTrue(gap > 1200, "the 2 s break adds time, got " + gap + " ms");
    }

    @Test
    void aMissingProgramIsAClearFailureThatRetryingWillNotFix() {
        LocalSpeech missing = new LocalSpeech("/nonexistent/espeak-ng", Map.of(), 165, Duration.ofSeconds(5));
        SpeechSpec spec = missing.spec(request("Hello", false, "en-US", AudioTarget.TELEPHONY_WAV)).orElseThrow();
        SpeechBackend.SpeechException e = assertThrows(SpeechBackend.SpeechException.class,
                () -> missing.synthesise(spec));
        assertTrue(e.getMessage().contains("cannot run /nonexistent/espeak-ng"), e.getMessage());
        assertFalse(e.retryable());
    }
}
