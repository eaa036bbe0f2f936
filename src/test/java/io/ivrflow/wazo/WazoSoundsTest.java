package io.ivrflow.wazo;

import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.PromptVariant;
import io.ivrflow.prompts.AudioCache;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.AudioTarget;
import io.ivrflow.prompts.LocalSpeech;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.PromptResolver;
import io.ivrflow.prompts.Speech;
import io.ivrflow.prompts.Wav;
import io.ivrflow.wazo.fake.FakeWazo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthesised prompts reaching Asterisk: copied into its sounds folder, or uploaded to a (fake, spec-checked) confd. */
class WazoSoundsTest {

    @TempDir
    Path cacheDir;
    @TempDir
    Path soundsDir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private FakeWazo wazo;

    @AfterEach
    void stop() {
        pool.shutdownNow();
        scheduler.shutdownNow();
        if (wazo != null) {
            wazo.close();
        }
    }

    private Speech speech() {
        return new Speech(List.of(new LocalSpeech()), new AudioCache(cacheDir), pool, 0, Duration.ZERO, d -> { });
    }

    private static RenderedPrompt prompt(String words) {
        return new RenderedPrompt("f/p", "en-US", "Polly.Joanna", words, null, null, PromptVariant.ofText(words));
    }

    @Test
    void directoryModeCopiesTheTelephonyWavAndCallsPlayItFromTheSoundsFolder() throws Exception {
        WazoSounds sounds = new WazoSounds("directory", soundsDir, "ivrflow", "http://localhost:1/1.1", null);
        Platform wazoPlatform = new Platform("wazo", AudioTarget.TELEPHONY_WAV, false, sounds);
        PromptResolver resolver = new PromptResolver(new AudioFiles(cacheDir.toString()), speech(),
                PromptResolver.Source.parseOrder("recorded,cache,synthesis,platform"), Duration.ofSeconds(10));
        PromptMedia media = new PromptMedia("/var/lib/wazo/sounds/ivrflow", resolver, wazoPlatform, "sound:beep");

        WazoCall.Playback pb = media.playbacks(prompt("For sales, press one.")).get(0).join();
        assertEquals("en_US", pb.language());
        assertTrue(pb.uri().matches("sound:/var/lib/wazo/sounds/ivrflow/[0-9a-f]{32}"), pb.uri());
        String key = pb.uri().substring(pb.uri().lastIndexOf('/') + 1);
        Path file = soundsDir.resolve(key + ".wav");
        Wav.Header h = Wav.header(Files.readAllBytes(file));
        assertEquals(8000, h.sampleRate());
        assertEquals(1, h.channels());
        assertEquals(16, h.bitsPerSample());
        try (var s = Files.list(soundsDir)) {
            assertEquals(List.of(file), s.toList(), "no partial file left beside it");
        }
        // media the platform plays itself is passed through; a URL (Asterisk cannot fetch it) gets the fallback
        assertEquals("tone:beep", media.playbacks(new RenderedPrompt("f/t", "en-US", null, null, null, "tone:beep"))
                .get(0).join().uri());
        assertEquals("sound:beep", media.playbacks(new RenderedPrompt("f/u", "en-US", null, null, null,
                "https://example.com/a.wav")).get(0).join().uri());
    }

    @Test
    void confdModeUploadsEachFileOnceCreatingTheCategoryWithSpecValidRequests() throws Exception {
        wazo = WazoTestSupport.realTimeFake();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        WazoHttp http = new WazoHttp(client, new WazoAuth(client, wazo.url("auth"), FakeWazo.USERNAME,
                FakeWazo.PASSWORD, Duration.ofHours(1), Duration.ofSeconds(5), Clock.systemUTC()), "",
                Duration.ofSeconds(5), 2, Duration.ofMillis(500), Timers.on(scheduler, Clock.systemUTC()),
                Clock.systemUTC());
        WazoSounds sounds = new WazoSounds("confd", soundsDir, "ivrflow", wazo.url("confd"), http);
        AudioCache.Entry entry = speech().ensure(io.ivrflow.prompts.SpeechRequest.of(prompt("Goodbye."),
                AudioTarget.TELEPHONY_WAV).orElseThrow()).join();
        assertFalse(sounds.published(entry));

        List<CompletableFuture<Void>> at = IntStream.range(0, 5).mapToObj(i -> sounds.publish(entry)).toList();
        at.forEach(CompletableFuture::join);
        assertTrue(sounds.published(entry));
        sounds.publish(entry).join();

        assertArrayEquals(Files.readAllBytes(entry.file()), wazo.soundFiles().get("ivrflow/" + entry.key() + ".wav"));
        long puts = wazo.requests().stream().filter(r -> r.method().equals("PUT")).count();
        assertEquals(2, puts, "one refused (no category yet), one after creating it; never per caller: "
                + wazo.requests());
        assertEquals(1, wazo.requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/sounds"))
                .count());
        assertEquals(List.of(), wazo.violations());
    }
}
