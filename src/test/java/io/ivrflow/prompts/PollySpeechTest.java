package io.ivrflow.prompts;

import io.ivrflow.ops.Faults;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** camel-aws2-polly against a fake Polly at the HTTP level (endpoint override). */
class PollySpeechTest {

    @TempDir
    Path dir;

    private FakePolly fake;
    private DefaultCamelContext camel;
    private PollySpeech polly;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeEach
    void start() throws Exception {
        fake = new FakePolly();
        camel = new DefaultCamelContext();
        camel.start();
        polly = new PollySpeech(new PromptSettings.Polly("us-east-1", "standard", "AKIAFAKEFAKEFAKE", "fake-secret",
                fake.url(), java.util.Map.of()), camel.createProducerTemplate());
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        polly.close();
        camel.stop();
        fake.close();
    }

    private byte[] say(SpeechRequest r) throws Exception {
        return polly.synthesise(polly.spec(r).orElseThrow());
    }

    @Test
    void ssmlForPlivoIsAskedAsSsmlMp3WithTheFlowsVoiceAndRate() throws Exception {
        String ssml = "<speak>Welcome back, <emphasis>Ana</emphasis>.</speak>";
        byte[] audio = say(new SpeechRequest(ssml, true, "en-US", "Polly.Joanna", new AudioTarget(AudioFormat.MP3, 22050)));
        assertTrue(new String(audio, StandardCharsets.UTF_8).startsWith("ID3"));
        FakePolly.Request r = fake.requests().get(0);
        assertEquals("POST", r.method());
        assertEquals("/v1/speech", r.path());
        assertEquals("Joanna", r.body().path("VoiceId").asText());
        assertEquals("ssml", r.body().path("TextType").asText());
        assertEquals("mp3", r.body().path("OutputFormat").asText());
        assertEquals("22050", r.body().path("SampleRate").asText());
        assertEquals("en-US", r.body().path("LanguageCode").asText());
        assertEquals("standard", r.body().path("Engine").asText());
        assertEquals(ssml, r.body().path("Text").asText());
        assertTrue(r.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE/"),
                "signed with the configured key: " + r.authorization());
    }

    @Test
    void textForWazoIsPcmAtEightKilohertzWrappedAsWav() throws Exception {
        byte[] wav = say(new SpeechRequest("Para ventas, marque uno.", false, "es-US", "Polly.Lupe-Neural",
                AudioTarget.TELEPHONY_WAV));
        FakePolly.Request r = fake.requests().get(0);
        assertEquals("Lupe", r.body().path("VoiceId").asText());
        assertEquals("neural", r.body().path("Engine").asText());
        assertEquals("text", r.body().path("TextType").asText());
        assertEquals("pcm", r.body().path("OutputFormat").asText());
        assertEquals("8000", r.body().path("SampleRate").asText());
        Wav.Header h = Wav.header(wav);
        assertEquals(8000, h.sampleRate());
        assertEquals(16, h.bitsPerSample());
        assertEquals(1, h.channels());
        assertEquals(400, h.duration().toMillis(), 2, "4 words of 100 ms from the fake");
    }

    @Test
    void aFlowVoiceThatIsNotPollysFallsBackToTheLanguagesVoice() {
        SpeechSpec spec = polly.spec(new SpeechRequest("Hi", false, "en-GB", "WOMAN", AudioTarget.TELEPHONY_WAV))
                .orElseThrow();
        assertEquals("Amy", spec.voice());
        assertTrue(polly.spec(new SpeechRequest("Hi", false, "xx-YY", null, AudioTarget.TELEPHONY_WAV)).isEmpty(),
                "no voice for the language: Polly cannot say it");
    }

    @Test
    void throttlingIsRetriedThenTheLocalBackendTakesOver() throws Exception {
        fake.throttle(1000);
        Speech speech = new Speech(List.of(polly, new LocalSpeech()), new AudioCache(dir), pool, 1,
                Duration.ofMillis(10), d -> Thread.sleep(d.toMillis()));
        AudioCache.Entry e = speech.ensure(new SpeechRequest("Goodbye.", false, "en-US", "Polly.Joanna",
                AudioTarget.TELEPHONY_WAV)).join();
        // our 2 attempts, each of which the AWS SDK itself may retry on throttling
        assertTrue(fake.requests().size() >= 2, "requests: " + fake.requests().size());
        Wav.Header h = Wav.header(Files.readAllBytes(e.file()));
        assertEquals(8000, h.sampleRate());
        assertTrue(h.duration().toMillis() > 300, "real speech from espeak-ng, not the fake's tone");
    }

    @Test
    void throttlingThatPassesEndsWithPollysAudio() throws Exception {
        fake.throttle(1);
        Speech speech = new Speech(List.of(polly, new LocalSpeech()), new AudioCache(dir), pool, 2,
                Duration.ofMillis(10), d -> Thread.sleep(d.toMillis()));
        AudioCache.Entry e = speech.ensure(new SpeechRequest("Hello", false, "en-US", "Polly.Joanna",
                new AudioTarget(AudioFormat.MP3, 22050))).join();
        assertEquals(AudioFormat.MP3, e.format());
        assertEquals(2, fake.requests().size());
    }

    @Test
    void atPollysEightyRequestsASecondEveryPromptIsMadeAndTheThrottlingIsCounted() {
        fake.rateLimit(80);
        Faults faults = Faults.unwatched();
        ExecutorService many = Executors.newFixedThreadPool(16);
        try {
            Speech speech = new Speech(List.of(polly), new AudioCache(dir), many, 6, Duration.ofMillis(100),
                    d -> Thread.sleep(d.toMillis()), faults);
            List<java.util.concurrent.CompletableFuture<AudioCache.Entry>> made = java.util.stream.IntStream
                    .range(0, 240).mapToObj(i -> speech.ensure(new SpeechRequest("Prompt number " + i + ".", false,
                            "en-US", "Polly.Joanna", new AudioTarget(AudioFormat.MP3, 22050)))).toList();
            made.forEach(f -> assertEquals(AudioFormat.MP3, f.join().format()));
            assertTrue(fake.throttled() > 0, "240 prompts at once went over 80 a second");
            assertTrue(faults.count("polly", "throttled") > 0, "throttled " + fake.throttled() + " times: " + faults.all());
            assertTrue(fake.busiestSecond() <= 80, "the fake let " + fake.busiestSecond() + " through in a second");
        } finally {
            many.shutdownNow();
        }
    }

    @Test
    void pollyDownMeansTheLocalVoiceAndAFaultThatSaysSo() throws Exception {
        fake.close();
        Faults faults = Faults.unwatched();
        Speech speech = new Speech(List.of(polly, new LocalSpeech()), new AudioCache(dir), pool, 1,
                Duration.ofMillis(10), d -> Thread.sleep(d.toMillis()), faults);
        AudioCache.Entry e = speech.ensure(new SpeechRequest("Goodbye.", false, "en-US", "Polly.Joanna",
                AudioTarget.TELEPHONY_WAV)).join();
        assertTrue(Wav.header(Files.readAllBytes(e.file())).duration().toMillis() > 300, "espeak-ng's speech");
        assertEquals(2, faults.count("polly", "unavailable"), "both attempts: " + faults.all());
        assertTrue(faults.all().get(0).detail().startsWith("Polly unreachable"), faults.all().toString());
    }

    @Test
    void wordsOverPollysLimitAreRefusedWithoutARequest() {
        String words = "a".repeat(3001);
        SpeechBackend.SpeechException ex = org.junit.jupiter.api.Assertions.assertThrows(
                SpeechBackend.SpeechException.class, () -> say(new SpeechRequest(words, false, "en-US", "Polly.Joanna",
                        AudioTarget.TELEPHONY_WAV)));
        assertTrue(ex.getMessage().contains("3000"), ex.getMessage());
        assertFalse(ex.retryable());
        assertEquals(0, fake.requests().size());
    }
}
