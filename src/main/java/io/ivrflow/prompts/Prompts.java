package io.ivrflow.prompts;

import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.config.Settings;
import io.ivrflow.flow.Flow;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The prompts of the service, as one bean for the routes and the adapters (see routes/beans.camel.yaml and
 * the {@code ivr.prompts.*} keys): the synthesis backends and cache, the resolver the adapters ask what to
 * play, pre-generation, and the HTTP answers for cached audio ({@code /prompts/audio/<key>.<ext>}) and the review
 * page ({@code /prompts/review}). Built on first use, so a bad setting fails loudly once, not per call.
 */
public class Prompts {

    private static final Logger LOG = LoggerFactory.getLogger(Prompts.class);

    private FlowRepository flowRepository;
    private String flowsDirectory = "flows";
    private String cacheDirectory = "prompt-cache";
    private String backends = "local";
    private String order = "recorded,cache,synthesis,platform";
    private String plivoAudio = "mp3:22050";
    private long dynamicDeadlineMillis = 1500;
    private int retries = 3;
    private long retryBackoffMillis = 500;
    private int threads = 2;
    private String localCommand = "espeak-ng";
    private String localVoices = "";
    private int localWordsPerMinute = 165;
    private PollySpeech polly;
    private boolean wazoEnabled;
    private Platform.Publisher wazoPublisher;
    private List<SpeechBackend> extraBackends = List.of();

    private volatile PromptResolver resolver;
    private volatile List<Platform> platforms;
    private ExecutorService executor;
    private final AtomicBoolean pregenerating = new AtomicBoolean();
    private volatile Pregeneration.Report lastReport;

    // ---------------------------------------------------------------- built on first use

    public PromptResolver resolver() {
        PromptResolver r = resolver;
        if (r == null) {
            synchronized (this) {
                if (resolver == null) {
                    resolver = build();
                }
                r = resolver;
            }
        }
        return r;
    }

    private PromptResolver build() {
        List<SpeechBackend> list = new ArrayList<>();
        for (String name : backends.split(",")) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "" -> { }
                case "local" -> list.add(new LocalSpeech(localCommand, Settings.pairs(localVoices),
                        localWordsPerMinute, Duration.ofSeconds(20)));
                case "polly" -> {
                    if (polly == null) {
                        throw new IllegalStateException("ivr.prompts.backends names polly but no pollySpeech bean is set");
                    }
                    list.add(polly);
                }
                default -> throw new IllegalArgumentException("unknown speech backend '" + name.trim()
                        + "' in ivr.prompts.backends (polly, local)");
            }
        }
        list.addAll(extraBackends);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "ivrflow-speech-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AudioCache cache = new AudioCache(Path.of(cacheDirectory));
        Speech speech = new Speech(list, cache, executor, retries, Duration.ofMillis(retryBackoffMillis),
                d -> Thread.sleep(d.toMillis()));
        List<Platform> p = new ArrayList<>();
        p.add(new Platform("plivo", AudioTarget.parse(plivoAudio), true, Platform.SERVED));
        if (wazoEnabled) {
            p.add(new Platform("wazo", AudioTarget.TELEPHONY_WAV, false,
                    wazoPublisher != null ? wazoPublisher : Platform.SERVED));
        }
        platforms = List.copyOf(p);
        LOG.info("prompts: backends {}, order {}, cache {} ({} file(s)), platforms {}",
                list.stream().map(SpeechBackend::name).toList(), order, cache.directory(), cache.size(),
                platforms.stream().map(x -> x.name() + " " + x.target()).toList());
        return new PromptResolver(new AudioFiles(flowsDirectory), speech, PromptResolver.Source.parseOrder(order),
                Duration.ofMillis(dynamicDeadlineMillis));
    }

    public List<Platform> platforms() {
        resolver();
        return platforms;
    }

    public Platform platform(String name) {
        return platforms().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no prompt platform " + name));
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
            Pregeneration.Report report = pregenerate(flowRepository.catalog().all(), null);
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
    public Pregeneration.Report pregenerate(java.util.Collection<Flow> flows, Pregeneration.Progress progress) {
        Pregeneration.Report report = new Pregeneration(resolver()).run(flows, platforms(), progress);
        lastReport = report;
        return report;
    }

    public Pregeneration.Report lastReport() {
        return lastReport;
    }

    // ---------------------------------------------------------------- HTTP

    /** GET /prompts/audio/{key}.{ext}: a cached file, immutable under its name. */
    public void serve(Exchange exchange) {
        Message m = exchange.getMessage();
        String path = AudioEndpoint.requestPath(m);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String ifNoneMatch = m.getHeader("If-None-Match", String.class);
        m.removeHeaders("*");
        Optional<AudioCache.Entry> entry = resolver().speech().cache().byFileName(name);
        byte[] bytes = null;
        if (entry.isPresent()) {
            try {
                bytes = Files.readAllBytes(entry.get().file());
            } catch (java.io.IOException e) {
                LOG.warn("prompts: cannot read {}: {}", entry.get().file(), e.getMessage());
            }
        }
        if (bytes == null) {
            AudioEndpoint.notFound(m, "no such prompt audio");
            return;
        }
        AudioEndpoint.immutable(m, bytes, entry.get().format().contentType(), "\"" + entry.get().key() + "\"",
                ifNoneMatch);
    }

    /** GET /prompts/review[/{flow}]: every prompt of a flow per language, with its words and a player. */
    public void review(Exchange exchange) {
        Message m = exchange.getMessage();
        String path = AudioEndpoint.requestPath(m);
        String flowId = path.replaceFirst("^/prompts/review/?", "");
        m.removeHeaders("*");
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
        m.setHeader("Cache-Control", "no-store");
        String html = flowId.isEmpty() ? ReviewPage.index(flowRepository.catalog().all(), lastReport)
                : flowRepository.catalog().find(flowId).map(f -> ReviewPage.flow(f, this)).orElse(null);
        if (html == null) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            m.setBody(ReviewPage.page("No such flow", "<p>No flow <code>" + ReviewPage.escape(flowId)
                    + "</code> is loaded. <a href=\"/prompts/review\">All flows</a></p>"));
            return;
        }
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setBody(html);
    }

    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- configuration

    public void setFlowRepository(FlowRepository flowRepository) {
        this.flowRepository = flowRepository;
    }

    public void setFlowsDirectory(String flowsDirectory) {
        this.flowsDirectory = flowsDirectory;
    }

    public void setCacheDirectory(String cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    /** {@code polly,local}: tried in this order. */
    public void setBackends(String backends) {
        this.backends = backends;
    }

    /** {@code recorded,cache,synthesis,platform}. */
    public void setOrder(String order) {
        this.order = order;
    }

    /** {@code mp3:22050}, {@code wav:8000}: what Plivo's Play is given. */
    public void setPlivoAudio(String plivoAudio) {
        this.plivoAudio = plivoAudio;
    }

    public void setDynamicDeadlineMillis(long dynamicDeadlineMillis) {
        this.dynamicDeadlineMillis = dynamicDeadlineMillis;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public void setRetryBackoffMillis(long retryBackoffMillis) {
        this.retryBackoffMillis = retryBackoffMillis;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public void setLocalCommand(String localCommand) {
        this.localCommand = localCommand;
    }

    /** {@code es-US=es-419,...}: espeak-ng voice per language. */
    public void setLocalVoices(String localVoices) {
        this.localVoices = localVoices;
    }

    public void setLocalWordsPerMinute(int localWordsPerMinute) {
        this.localWordsPerMinute = localWordsPerMinute;
    }

    public void setPolly(PollySpeech polly) {
        this.polly = polly;
    }

    public void setWazoEnabled(boolean wazoEnabled) {
        this.wazoEnabled = wazoEnabled;
    }

    public void setWazoPublisher(Platform.Publisher wazoPublisher) {
        this.wazoPublisher = wazoPublisher;
    }

    /** Backends tried after the configured ones (tests). */
    public void setExtraBackends(List<SpeechBackend> extraBackends) {
        this.extraBackends = List.copyOf(extraBackends);
    }
}
