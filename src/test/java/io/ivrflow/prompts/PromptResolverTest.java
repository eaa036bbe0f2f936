package io.ivrflow.prompts;

import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.PromptVariant;
import io.ivrflow.prompts.PromptResolver.Resolved;
import io.ivrflow.prompts.PromptResolver.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptResolverTest {

    private static final Platform PLIVO = new Platform("plivo", new AudioTarget(AudioFormat.MP3, 22050), true,
            Platform.SERVED);
    private static final Platform WAZO = new Platform("wazo", AudioTarget.TELEPHONY_WAV, false, Platform.SERVED);

    @TempDir
    Path flows;
    @TempDir
    Path cacheDir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private ScriptedBackend backend;
    private Speech speech;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(flows.resolve("audio"));
        Files.write(flows.resolve("audio/welcome.wav"), Wav.write(new Wav.Pcm(8000, new short[800])));
        backend = new ScriptedBackend("local");
        speech = new Speech(List.of(backend), new AudioCache(cacheDir), pool, 0, Duration.ZERO, d -> { });
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private PromptResolver resolver(String order, long deadlineMillis) {
        return new PromptResolver(new AudioFiles(flows.toString()), speech, Source.parseOrder(order),
                Duration.ofMillis(deadlineMillis));
    }

    private static RenderedPrompt text(String words) {
        return new RenderedPrompt("f/p", "en-US", "Polly.Joanna", words, null, null, PromptVariant.ofText(words));
    }

    private static RenderedPrompt dynamic(String template, String name) {
        PromptVariant v = PromptVariant.ofText(template);
        return new RenderedPrompt("f/vip", "en-US", "Polly.Joanna", template.replace("${name}", name), null, null, v);
    }

    @Test
    void anExistingRecordingComesFirstAndAMissingOneFallsBackToTheWords() {
        // slower than the answer, so the missing recording's words are not already synthesised when it is given
        backend.delay(300);
        PromptResolver r = resolver("recorded,cache,synthesis,platform", 1000);
        RenderedPrompt recorded = new RenderedPrompt("f/w", "en-US", null, "Welcome", null, "audio/welcome.wav",
                new PromptVariant("Welcome", null, "audio/welcome.wav"));
        assertEquals(new Resolved.Recorded("audio/welcome.wav"), r.resolve(recorded, PLIVO).join());
        RenderedPrompt missing = new RenderedPrompt("f/w", "en-US", null, "Welcome", null, "audio/gone.wav",
                new PromptVariant("Welcome", null, "audio/gone.wav"));
        assertInstanceOf(Resolved.PlatformTts.class, r.resolve(missing, PLIVO).join());
        assertEquals(new Resolved.Recorded("tone:beep"), r.resolve(new RenderedPrompt("f/t", "en-US", null, null,
                null, "tone:beep"), WAZO).join(), "media the platform plays itself");
    }

    @Test
    void aCachedPromptIsPlayedWithoutSynthesis() {
        RenderedPrompt p = text("Press 1 for sales.");
        speech.ensure(SpeechRequest.of(p, PLIVO.target()).orElseThrow()).join();
        Resolved r = resolver("recorded,cache,synthesis,platform", 1000).resolve(p, PLIVO).join();
        assertInstanceOf(Resolved.Synthesised.class, r);
        assertEquals(1, backend.calls().size());
    }

    @Test
    void aStaticMissOnPlivoNeverWaitsTheCallerHearsSpeakAndTheNextCallerTheFile() throws Exception {
        backend.delay(300);
        PromptResolver r = resolver("recorded,cache,synthesis,platform", 5000);
        RenderedPrompt p = text("Our offices are closed.");
        long started = System.nanoTime();
        Resolved first = r.resolve(p, PLIVO).join();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertInstanceOf(Resolved.PlatformTts.class, first);
        assertTrue(tookMillis < 250, "answered without waiting for the 300 ms synthesis: " + tookMillis + " ms");
        // made in the background meanwhile
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (speech.cache().size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertInstanceOf(Resolved.Synthesised.class, r.resolve(p, PLIVO).join());
        assertEquals(1, backend.calls().size());
    }

    @Test
    void dynamicWordsAreSynthesisedWhileTheCallerWaitsWithinTheDeadline() {
        Resolved r = resolver("recorded,cache,synthesis,platform", 2000).resolve(dynamic("Welcome back, ${name}.",
                "Ana"), PLIVO).join();
        assertInstanceOf(Resolved.Synthesised.class, r);
        assertEquals("Welcome back, Ana.", backend.calls().get(0).text());
    }

    @Test
    void dynamicWordsPastTheDeadlineFallBackToTheGenericFormThenToTheTts() {
        PromptResolver r = resolver("recorded,cache,synthesis,platform", 100);
        RenderedPrompt vip = dynamic("Welcome back, ${name}.", "Ana");
        speech.ensure(SpeechRequest.of(vip.generic(), WAZO.target()).orElseThrow()).join(); // pre-generated
        backend.delay(1000);
        long started = System.nanoTime();
        Resolved onWazo = r.resolve(vip, WAZO).join();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertInstanceOf(Resolved.Synthesised.class, onWazo);
        assertEquals(speech.cached(SpeechRequest.of(vip.generic(), WAZO.target()).orElseThrow()).orElseThrow(),
                ((Resolved.Synthesised) onWazo).entry(), "the generic form: 'Welcome back, .'");
        assertTrue(tookMillis >= 90 && tookMillis < 900, "waited the deadline, not the synthesis: " + tookMillis);
        // Plivo has no generic form cached for its format: its own TTS says the real words
        assertInstanceOf(Resolved.PlatformTts.class, r.resolve(dynamic("Welcome back, ${name}.", "Bo"), PLIVO).join());
    }

    @Test
    void onWazoWithNothingInTimeTheAnswerIsNothing() {
        backend.alwaysFail();
        Resolved r = resolver("recorded,cache,synthesis,platform", 500).resolve(text("Goodbye."), WAZO).join();
        assertInstanceOf(Resolved.Nothing.class, r);
    }

    @Test
    void theOrderIsConfigurable() {
        RenderedPrompt recorded = new RenderedPrompt("f/w", "en-US", null, "Welcome", null, "audio/welcome.wav",
                new PromptVariant("Welcome", null, "audio/welcome.wav"));
        assertInstanceOf(Resolved.PlatformTts.class, resolver("platform,recorded", 100).resolve(recorded, PLIVO).join());
        assertInstanceOf(Resolved.Synthesised.class,
                resolver("synthesis,recorded", 2000).resolve(recorded, WAZO).join());
        assertEquals(List.of(Source.RECORDED, Source.PLATFORM), Source.parseOrder(" recorded , platform "));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Source.parseOrder("recorded,magic"));
    }

    @Test
    void withoutSynthesisTheWordsGoToThePlatform() {
        PromptResolver r = new PromptResolver(new AudioFiles(flows.toString()), null,
                List.of(Source.RECORDED, Source.CACHE, Source.SYNTHESIS, Source.PLATFORM), Duration.ZERO);
        assertInstanceOf(Resolved.PlatformTts.class, r.resolve(text("Hello"), PLIVO).join());
        assertInstanceOf(Resolved.Nothing.class, r.resolve(text(""), PLIVO).join(), "no words, nothing to say");
    }
}
