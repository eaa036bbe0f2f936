package io.ivrflow;

import io.ivrflow.config.Settings;
import io.ivrflow.console.ConsoleAssets;
import io.ivrflow.console.ConsoleCalls;
import io.ivrflow.console.ConsoleFlows;
import io.ivrflow.console.ConsoleSettings;
import io.ivrflow.console.PromptAudio;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.flowstore.FlowStoreSettings;
import io.ivrflow.flowstore.FlowsApi;
import io.ivrflow.flowstore.FlowsHealthCheck;
import io.ivrflow.lookup.HttpLookupService;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.observe.CallMetrics;
import io.ivrflow.ops.BrokerHealthCheck;
import io.ivrflow.ops.Faults;
import io.ivrflow.ops.FaultsHealthCheck;
import io.ivrflow.ops.HttpHeaderPolicy;
import io.ivrflow.ops.HttpPorts;
import io.ivrflow.ops.HttpReplies;
import io.ivrflow.ops.RoutesReloadHealthCheck;
import io.ivrflow.plivo.OutboundCalls;
import io.ivrflow.plivo.PlivoApi;
import io.ivrflow.plivo.PlivoRecorder;
import io.ivrflow.plivo.PlivoSettings;
import io.ivrflow.plivo.PlivoWebhooks;
import io.ivrflow.prompts.AudioEndpoint;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.PollySpeech;
import io.ivrflow.prompts.PromptSettings;
import io.ivrflow.prompts.Prompts;
import io.ivrflow.prompts.SpeechBackend;
import io.ivrflow.wazo.Agentd;
import io.ivrflow.wazo.CallLanes;
import io.ivrflow.wazo.CallStore;
import io.ivrflow.wazo.Calld;
import io.ivrflow.wazo.Confd;
import io.ivrflow.wazo.DirdLookups;
import io.ivrflow.wazo.InMemoryCallStore;
import io.ivrflow.wazo.PromptMedia;
import io.ivrflow.wazo.Timers;
import io.ivrflow.wazo.WazoAuth;
import io.ivrflow.wazo.WazoCalls;
import io.ivrflow.wazo.WazoEvents;
import io.ivrflow.wazo.WazoHttp;
import io.ivrflow.wazo.WazoSettings;
import io.ivrflow.wazo.WazoSounds;
import io.ivrflow.wazo.WazoTargets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The composition root: reads every setting, stops startup when one is wrong (one line per problem, naming the
 * property), then builds each component by constructor, in dependency order, and binds the ones the routes name.
 * Every thread comes from Camel's executor service manager, so stopping Camel stops them.
 *
 * <p>Camel Main runs it before it loads the routes ({@code camel.main.configuration-classes} in
 * application.properties); Camel JBang does the same with the same properties.
 */
public class ServiceWiring implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(key -> context.getPropertiesComponent().resolveProperty(key));
        FlowStoreSettings flowSettings = FlowStoreSettings.read(settings);
        PromptSettings promptSettings = PromptSettings.read(settings);
        PlivoSettings plivoSettings = PlivoSettings.read(settings);
        WazoSettings wazoSettings = WazoSettings.read(settings);
        ConsoleSettings consoleSettings = ConsoleSettings.read(settings);
        int managementPort = settings.number("camel.management.port", 9876, 0, 65_535);
        boolean metrics = settings.flag("camel.metrics.enabled", false);
        settings.verify();

        Collaborators given = context.getRegistry().findSingleByType(Collaborators.class);
        Collaborators with = given != null ? given : Collaborators.none();
        Clock clock = with.clock() != null ? with.clock() : Clock.systemUTC();
        // threads named after this service, as it is named now (a pattern set before the name is known keeps the old)
        context.getExecutorServiceManager().setThreadNamePattern("Camel (#camelId#) thread ##counter# - #name#");
        Threads threads = new Threads(context.getExecutorServiceManager(), this);

        // HTTP: each path on its port, one header policy, one way to write replies
        PlatformHttpComponent platformHttp = context.getComponent("platform-http", PlatformHttpComponent.class);
        platformHttp.setEngine(new HttpPorts(managementPort));
        platformHttp.setHeaderFilterStrategy(new HttpHeaderPolicy());
        // no body is held in memory past this, on the management port too (camel.server.max-body-size is the
        // business port's; Camel Main has no key for the management server's)
        ManagementHttpServer managementServer = context.hasService(ManagementHttpServer.class);
        if (managementServer != null) {
            managementServer.setMaxBodySize(HttpPorts.BODY_LIMIT);
        }
        context.getRegistry().bind("httpReplies", new HttpReplies());
        context.getRegistry().bind("routesReloadHealthCheck", new RoutesReloadHealthCheck());

        // what goes wrong with peers and disks: counted, shown in metrics and in a health check
        Faults faults = new Faults(Clock.systemUTC());
        context.getRegistry().bind("faultsHealthCheck", new FaultsHealthCheck(faults));

        // flows
        FlowRepository flows = new FlowRepository(flowSettings, faults);
        flows.load();
        context.getRegistry().bind("flowRepository", flows);
        context.getRegistry().bind("flowsApi", new FlowsApi(flows, flowSettings.manageToken()));
        context.getRegistry().bind("flowsHealthCheck", new FlowsHealthCheck(flows));

        // observability
        CallMetrics callMetrics = new CallMetrics(metrics ? metricsRegistry(context) : new io.micrometer.core
                .instrument.simple.SimpleMeterRegistry());
        callMetrics.bindFlows(flows);
        faults.listen(f -> callMetrics.fault(f.source(), f.kind()));
        CallJournal journal = new CallJournal(callMetrics);
        context.getRegistry().bind("callMetrics", callMetrics);
        context.getRegistry().bind("callJournal", journal);

        ExecutorService httpThreads = threads.fixed("ivrflow-http", 2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                .executor(httpThreads).build();
        Timers realTime = Timers.on(threads.scheduler("ivrflow-timers"), Clock.systemUTC());
        LookupService lookups = with.lookups() != null ? with.lookups() : new HttpLookupService(http);

        // Wazo's service requests (also used to publish prompt audio to confd)
        WazoHttp wazoHttp = new WazoHttp(http, new WazoAuth(http, wazoSettings.authUrl(), wazoSettings.username(),
                wazoSettings.password(), wazoSettings.tokenLifetime(), wazoSettings.requestTimeout(), clock),
                wazoSettings.tenant(), wazoSettings.requestTimeout(), wazoSettings.retries(),
                wazoSettings.retryBackoff(), realTime, Clock.systemUTC(), faults, Map.of(
                        wazoSettings.calldUrl(), "calld", wazoSettings.confdUrl(), "confd",
                        wazoSettings.agentdUrl(), "agentd", wazoSettings.dirdUrl(), "dird"));

        // prompts
        AudioFiles recorded = new AudioFiles(flowSettings.directory().toString());
        PollySpeech polly = null;
        if (promptSettings.backends().contains("polly")) {
            polly = new PollySpeech(promptSettings.polly(), context.createProducerTemplate());
            closedWithCamel(context, polly);
        }
        List<SpeechBackend> backends = new ArrayList<>(Prompts.backends(promptSettings, polly));
        backends.addAll(with.speech());
        Prompts prompts = new Prompts(promptSettings, recorded, backends, threads.fixed("ivrflow-speech",
                promptSettings.threads()), new WazoSounds(wazoSettings.soundsPublish(),
                wazoSettings.soundsWriteDirectory(), wazoSettings.soundsCategory(), wazoSettings.confdUrl(), wazoHttp),
                flows::catalog, faults);
        callMetrics.bindPromptCache(prompts.resolver().speech(), s -> s.hits(), s -> s.misses(), s -> s.made());
        context.getRegistry().bind("prompts", prompts);
        context.getRegistry().bind("audioFiles", new AudioEndpoint(recorded, "/audio/"));

        // Plivo
        PlivoApi plivoApi = new PlivoApi(plivoSettings.apiUrl(), plivoSettings.authId(), plivoSettings.authToken(),
                plivoSettings.apiTimeout(), http);
        context.getRegistry().bind("plivoWebhooks", new PlivoWebhooks(plivoSettings, flows, journal, lookups,
                with.recorder() != null ? with.recorder() : new PlivoRecorder(plivoApi), recorded,
                prompts.resolver(), prompts.platform("plivo"), clock));
        context.getRegistry().bind("outboundCalls", new OutboundCalls(plivoApi, flows, plivoSettings, clock));

        // Wazo
        CachingConnectionFactory rabbit = rabbit(wazoSettings.broker(), context.getName());
        context.getRegistry().bind("rabbitConnectionFactory", rabbit);
        // closed with Camel, after the routes: its connection threads are the service's too
        closedWithCamel(context, rabbit::destroy);
        context.getRegistry().bind("brokerHealthCheck", new BrokerHealthCheck(rabbit, wazoSettings.enabled()));
        if (wazoSettings.enabled()) {
            WazoEvents events = wazo(wazoSettings, threads, flows, journal, lookups, prompts, wazoHttp, clock,
                    with.wazoTimers() != null ? with.wazoTimers() : realTime, with.wazoMedia(),
                    with.wazoStore() != null ? with.wazoStore() : new InMemoryCallStore());
            context.getRegistry().bind("wazoEvents", events);
            // a stopping service takes no new event: the ones in flight finish and are acknowledged first
            context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public boolean isEnabled(CamelEvent event) {
                    return event instanceof CamelEvent.CamelContextStoppingEvent;
                }

                @Override
                public void notify(CamelEvent event) {
                    events.drain();
                }
            });
        }

        // the console (management port)
        PromptAudio consoleAudio = new PromptAudio(flowSettings.directory().toString(), prompts);
        context.getRegistry().bind("consoleFlows", new ConsoleFlows(flows, consoleAudio));
        context.getRegistry().bind("consoleCalls", new ConsoleCalls(flows, consoleAudio, consoleSettings, clock));
        context.getRegistry().bind("consoleAssets", new ConsoleAssets());
        context.getRegistry().bind("consoleAudioFiles", new AudioEndpoint(recorded, "/console/audio/"));
    }

    private static WazoEvents wazo(WazoSettings s, Threads threads, FlowRepository flows, CallJournal journal,
                                   LookupService lookups, Prompts prompts, WazoHttp http, Clock clock, Timers timers,
                                   PromptMedia givenMedia, CallStore store) {
        Confd confd = new Confd(http, s.confdUrl(), s.queueCache(), clock);
        Agentd agentd = new Agentd(http, s.agentdUrl(), s.agentCache(), clock);
        WazoTargets targets = new WazoTargets(confd, agentd, s.destinations(), s.defaultContext(),
                s.outgoingContext(), s.voicemailPrefix(), s.voicemailContext());
        PromptMedia media = givenMedia != null ? givenMedia : prompts.findPlatform("wazo")
                .map(wazo -> new PromptMedia(s.soundsDirectory(), prompts.resolver(), wazo, s.fallbackSound()))
                .orElseGet(() -> new PromptMedia(s.soundsDirectory()));
        List<ExecutorService> laneExecutors = new ArrayList<>();
        for (int i = 0; i < s.lanes(); i++) {
            laneExecutors.add(threads.single("ivrflow-wazo-lane-" + i));
        }
        CallLanes lanes = new CallLanes(laneExecutors);
        WazoCalls calls = new WazoCalls(flows, store, lanes, timers, clock,
                new Calld(http, s.calldUrl()), new DirdLookups(http, s.dirdUrl(), lookups, s.directoryCache(), clock),
                targets, media, journal, s.ringTimeout(), s.musicOnHold());
        org.slf4j.LoggerFactory.getLogger(ServiceWiring.class).info(
                "Wazo adapter: calld {}, {} lane(s), ring timeout {} s, sounds in {}", s.calldUrl(), s.lanes(),
                s.ringTimeout().toSeconds(), s.soundsDirectory());
        return new WazoEvents(calls, lanes, http);
    }

    private static CachingConnectionFactory rabbit(WazoSettings.Broker b, String service) {
        CachingConnectionFactory f = new CachingConnectionFactory(b.host(), b.port());
        f.setUsername(b.username());
        f.setPassword(b.password());
        f.setVirtualHost(b.virtualHost());
        // a broker that does not answer fails the health check quickly instead of holding it
        f.setConnectionTimeout((int) b.connectionTimeout().toMillis());
        // the client's own threads (connection, heartbeats) named as the service's
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        f.getRabbitConnectionFactory().setThreadFactory(r -> {
            Thread t = new Thread(r, service + " amqp-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return f;
    }

    /** Closed when Camel stops, after the routes (services added last stop first). */
    private static void closedWithCamel(CamelContext context, AutoCloseable resource) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        }, true, true);
    }

    /** The registry Camel's Prometheus endpoint scrapes: Camel's own when it made it first, else one it will use. */
    private static MeterRegistry metricsRegistry(CamelContext context) {
        MeterRegistry found = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (found != null) {
            return found;
        }
        PrometheusMeterRegistry made = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind("metricsRegistry", made);
        return made;
    }

    /** Named threads from Camel's executor service manager: stopping Camel stops them. */
    private record Threads(ExecutorServiceManager manager, Object source) {
        ExecutorService fixed(String name, int size) {
            return manager.newFixedThreadPool(source, name, size);
        }

        ExecutorService single(String name) {
            return manager.newSingleThreadExecutor(source, name);
        }

        ScheduledExecutorService scheduler(String name) {
            ScheduledExecutorService s = manager.newSingleThreadScheduledExecutor(source, name);
            if (s instanceof ScheduledThreadPoolExecutor pool) {
                // a timer still pending at shutdown (a ring timeout) must not hold the stop, nor a cancelled one memory
                pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                pool.setRemoveOnCancelPolicy(true);
            }
            return s;
        }
    }
}
