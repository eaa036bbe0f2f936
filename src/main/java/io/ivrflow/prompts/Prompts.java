package io.ivrflow.prompts;

import io.ivrflow.ops.Faults;

import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.ops.HttpReply;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The prompts of the service, built once from {@link PromptSettings}: the synthesis backends behind the
 * content-addressed cache, the resolver the adapters ask what to play, pre-generation (routes
 * prompts-pregenerate and prompts-schedule, and after each flow reload), and the answers of
 * {@code /prompts/audio/<key>.<ext>} and the review page {@code /prompts/review}.
 */
public class Prompts {

    private static final Logger LOG = LoggerFactory.getLogger(Prompts.class);

    private final Supplier<FlowCatalog> flows;
    private final PromptResolver resolver;
    private final List<Platform> platforms;
    private final AtomicBoolean pregenerating = new AtomicBoolean();
    private volatile Pregeneration.Report lastReport;

    /**
     * @param backends      built from the settings' {@code backends}, in that order
     * @param executor      runs the syntheses (it is the caller's to stop)
     * @param wazoPublisher how cached audio reaches Asterisk (used when the settings make prompts for Wazo)
     * @param flows         the flows serving now (pre-generation and the review page read them)
     * @param faults        told of backends failing and cache files that cannot be written
     */
    public Prompts(PromptSettings settings, AudioFiles recorded, List<SpeechBackend> backends, Executor executor,
                   Platform.Publisher wazoPublisher, Supplier<FlowCatalog> flows, Faults faults) {
        this.flows = flows;
        AudioCache cache = new AudioCache(settings.cacheDirectory(), faults);
        Speech speech = new Speech(backends, cache, executor, settings.retries(), settings.retryBackoff(),
                d -> Thread.sleep(d.toMillis()), faults);
        List<Platform> p = new ArrayList<>();
        p.add(new Platform("plivo", settings.plivoAudio(), true, Platform.SERVED));
        if (settings.wazo()) {
            p.add(new Platform("wazo", AudioTarget.TELEPHONY_WAV, false, wazoPublisher));
        }
        this.platforms = List.copyOf(p);
        this.resolver = new PromptResolver(recorded, speech, settings.order(), settings.dynamicDeadline());
        LOG.info("prompts: backends {}, order {}, cache {} ({} file(s)), platforms {}",
                backends.stream().map(SpeechBackend::name).toList(), settings.order(), cache.directory(), cache.size(),
                platforms.stream().map(x -> x.name() + " " + x.target()).toList());
    }

    /** The backends the settings name, in order ({@code polly} is given: it needs Camel). */
    public static List<SpeechBackend> backends(PromptSettings settings, SpeechBackend polly) {
        List<SpeechBackend> list = new ArrayList<>();
        for (String name : settings.backends()) {
            list.add(switch (name) {
                case "local" -> new LocalSpeech(settings.local().command(), settings.local().voices(),
                        settings.local().wordsPerMinute(), Duration.ofSeconds(20));
                case "polly" -> polly;
                default -> throw new IllegalArgumentException("unknown speech backend " + name);
            });
        }
        return list;
    }

    public PromptResolver resolver() {
        return resolver;
    }

    public List<Platform> platforms() {
        return platforms;
    }

    public Platform platform(String name) {
        return platforms.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no prompt platform " + name));
    }

    public Optional<Platform> findPlatform(String name) {
        return platforms.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    // ---------------------------------------------------------------- pre-generation

    /**
     * Makes every prompt of the loaded flows that is not made yet (startup, after a reload, on the schedule).
     * A run already under way is not doubled: this call then returns null at once.
     */
    public Pregeneration.Report pregenerate() {
        if (!pregenerating.compareAndSet(false, true)) {
            return null;
        }
        try {
            Pregeneration.Report report = pregenerate(flows.get().all(), null);
            if (report.made() > 0 || report.failed() > 0) {
                LOG.info("prompts: pre-generated {}", report);
            }
            report.failures().forEach(f -> LOG.warn("prompts: could not make {}", f));
            return report;
        } finally {
            pregenerating.set(false);
        }
    }

    /** Makes the prompts of these flows for every platform, telling {@code progress} as each one is done. */
    public Pregeneration.Report pregenerate(Collection<Flow> flows, Pregeneration.Progress progress) {
        Pregeneration.Report report = new Pregeneration(resolver).run(flows, platforms, progress);
        lastReport = report;
        return report;
    }

    public Pregeneration.Report lastReport() {
        return lastReport;
    }

    // ---------------------------------------------------------------- HTTP

    /** GET /prompts/audio/{file}: a cached file, immutable under its name. */
    public HttpReply audio(@Header("file") String name, @Header("If-None-Match") String ifNoneMatch) {
        Optional<AudioCache.Entry> entry = resolver.speech().cache().byFileName(name == null ? "" : name);
        if (entry.isPresent()) {
            try {
                byte[] bytes = Files.readAllBytes(entry.get().file());
                return AudioEndpoint.immutable(bytes, entry.get().format().contentType(),
                        "\"" + entry.get().key() + "\"", ifNoneMatch);
            } catch (IOException e) {
                LOG.warn("prompts: cannot read {}: {}", entry.get().file(), e.getMessage());
            }
        }
        return HttpReply.text(404, HttpReply.TEXT, "no such prompt audio\n");
    }

    /** GET /prompts/review: every flow, with the last pre-generation. */
    public HttpReply review() {
        return html(200, ReviewPage.index(flows.get().all(), lastReport));
    }

    /** GET /prompts/review/{flow}: every prompt of a flow per language, with its words and a player. */
    public HttpReply review(@Header("flow") String flowId) {
        return flows.get().find(flowId).map(f -> html(200, ReviewPage.flow(f, this)))
                .orElseGet(() -> html(404, ReviewPage.page("No such flow", "<p>No flow <code>"
                        + ReviewPage.escape(flowId) + "</code> is loaded. <a href=\"/prompts/review\">All flows</a></p>")));
    }

    private static HttpReply html(int status, String page) {
        return new HttpReply(status, HttpReply.HTML, page.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Cache-Control", "no-store"));
    }
}
