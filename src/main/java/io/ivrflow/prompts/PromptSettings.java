package io.ivrflow.prompts;

import io.ivrflow.config.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How prompts are made and resolved ({@code ivr.prompts.*}; see the README's Prompts section).
 *
 * @param backends          synthesis backends in the order they are tried: {@code polly}, {@code local}
 * @param order             where a prompt's audio is looked for, in order
 * @param dynamicDeadline   how long a caller may wait for dynamic words to be synthesised
 * @param retries           attempts after the first, per backend, for failures that may pass
 * @param threads           synthesis threads
 * @param wazo              whether prompts are also made for Wazo (the Wazo adapter is on)
 */
public record PromptSettings(List<String> backends, List<PromptResolver.Source> order, Path cacheDirectory,
                             AudioTarget plivoAudio, Duration dynamicDeadline, int retries, Duration retryBackoff,
                             int threads, boolean pregenerateOnStart, Local local, Polly polly, boolean wazo) {

    public static final Set<String> BACKENDS = Set.of("polly", "local");

    /** espeak-ng ({@code ivr.prompts.local.*}). */
    public record Local(String command, Map<String, String> voices, int wordsPerMinute) {
    }

    /**
     * Amazon Polly ({@code ivr.prompts.polly.*}). Keys blank: the AWS default chain. The keys never reach a log.
     *
     * @param endpoint a Polly-compatible endpoint instead of AWS's; blank for AWS
     */
    public record Polly(String region, String engine, String accessKey, String secretKey, String endpoint,
                        Map<String, String> voices) {
        @Override
        public String toString() {
            return "Polly[region=" + region + ", engine=" + engine + ", keys=" + (accessKey.isEmpty() ? "default chain"
                    : "set") + ", endpoint=" + (endpoint.isEmpty() ? "AWS" : endpoint) + "]";
        }
    }

    public static PromptSettings read(Settings s) {
        List<String> backends = s.words("ivr.prompts.backends", "local", BACKENDS);
        List<String> sources = s.words("ivr.prompts.order", "recorded,cache,synthesis,platform",
                Set.of("recorded", "cache", "synthesis", "platform"));
        if (sources.isEmpty()) {
            s.problem("ivr.prompts.order", "", "names no source: use recorded,cache,synthesis,platform");
        }
        String plivo = s.text("ivr.prompts.plivo-audio", "mp3:22050");
        AudioTarget plivoAudio = AudioTarget.parse("mp3:22050");
        try {
            plivoAudio = AudioTarget.parse(plivo);
        } catch (RuntimeException e) {
            s.problem("ivr.prompts.plivo-audio", plivo, "expected mp3:<rate> or wav:<rate>, such as mp3:22050");
        }
        String accessKey = s.secret("ivr.prompts.polly.access-key");
        String secretKey = s.secret("ivr.prompts.polly.secret-key");
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            s.problem("ivr.prompts.polly.access-key", "and ivr.prompts.polly.secret-key go together: set both "
                    + "(IVR_POLLY_ACCESS_KEY, IVR_POLLY_SECRET_KEY) or neither (the AWS default chain)");
        }
        Polly polly = new Polly(s.text("ivr.prompts.polly.region", "us-east-1"),
                s.choice("ivr.prompts.polly.engine", "standard", "standard", "neural", "generative", "long-form"),
                accessKey, secretKey, s.url("ivr.prompts.polly.endpoint", ""), s.pairs("ivr.prompts.polly.voices"));
        return new PromptSettings(backends,
                sources.stream().map(w -> PromptResolver.Source.valueOf(w.toUpperCase(Locale.ROOT))).toList(),
                Path.of(s.text("ivr.prompts.cache-directory", "prompt-cache")), plivoAudio,
                s.millis("ivr.prompts.dynamic-deadline", 1500, 0, 10_000),
                s.number("ivr.prompts.retries", 3, 0, 10),
                s.millis("ivr.prompts.retry-backoff", 500, 0, 60_000),
                s.number("ivr.prompts.threads", 2, 1, 32),
                s.flag("ivr.prompts.pregenerate-on-start", true),
                new Local(s.text("ivr.prompts.local.command", "espeak-ng"), s.pairs("ivr.prompts.local.voices"),
                        s.number("ivr.prompts.local.words-per-minute", 165, 80, 450)),
                polly, s.flag("ivr.wazo.enabled", false));
    }

    /** The defaults, with a cache folder: the command line tool's starting point. */
    public static PromptSettings defaults(Path cacheDirectory) {
        PromptSettings d = read(Settings.of(Map.of()));
        return new PromptSettings(d.backends, d.order, cacheDirectory, d.plivoAudio, d.dynamicDeadline, d.retries,
                d.retryBackoff, d.threads, d.pregenerateOnStart, d.local, d.polly, d.wazo);
    }

    public PromptSettings withBackends(List<String> backends) {
        return new PromptSettings(backends, order, cacheDirectory, plivoAudio, dynamicDeadline, retries, retryBackoff,
                threads, pregenerateOnStart, local, polly, wazo);
    }

    public PromptSettings withPlatforms(AudioTarget plivoAudio, boolean wazo) {
        return new PromptSettings(backends, order, cacheDirectory, plivoAudio, dynamicDeadline, retries, retryBackoff,
                threads, pregenerateOnStart, local, polly, wazo);
    }

    public PromptSettings withThreads(int threads) {
        return new PromptSettings(backends, order, cacheDirectory, plivoAudio, dynamicDeadline, retries, retryBackoff,
                threads, pregenerateOnStart, local, polly, wazo);
    }

    public PromptSettings withPollyEndpoint(String endpoint) {
        return new PromptSettings(backends, order, cacheDirectory, plivoAudio, dynamicDeadline, retries, retryBackoff,
                threads, pregenerateOnStart, local, new Polly(polly.region(), polly.engine(), polly.accessKey(),
                polly.secretKey(), endpoint, polly.voices()), wazo);
    }
}
