package io.ivrflow.wazo;

import io.ivrflow.prompts.Prompts;

import com.rabbitmq.client.Channel;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.lookup.HttpLookupService;
import io.ivrflow.lookup.LookupService;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ChannelProxy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The Camel side of the Wazo adapter: takes each message of the {@code wazo-events} routes, hands the event to
 * {@link WazoCalls} on its call's lane, and acknowledges it once handled (the routes consume with
 * {@code acknowledgeMode=MANUAL}). A message that is not a usable application event is logged and rejected
 * without requeue, so the broker dead-letters it; the consumer carries on.
 *
 * <p>Configured from {@code routes/beans.camel.yaml}; see the {@code ivr.wazo.*} keys in the README. Secrets
 * (the service account's password) come from the environment and are never logged.
 */
public class WazoEvents {

    private static final Logger LOG = LoggerFactory.getLogger(WazoEvents.class);
    /** Where spring-rabbitmq puts the consumer's channel and the message's delivery tag. */
    static final String CHANNEL = "CamelSpringRabbitmqChannel";
    static final String DELIVERY_TAG = "CamelSpringRabbitmqDeliveryTag";

    private FlowRepository flowRepository;
    private CallJournal journal = new CallJournal();
    private LookupService httpLookups = new HttpLookupService();
    private CallStore callStore = new InMemoryCallStore();
    private Clock clock = Clock.systemUTC();
    private Timers timers;
    private String calldUrl = "http://localhost:9500/1.0";
    private String confdUrl = "http://localhost:9486/1.1";
    private String agentdUrl = "http://localhost:9493/1.0";
    private String dirdUrl = "http://localhost:9489/0.1";
    private String authUrl = "http://localhost:9497/0.1";
    private String username = "";
    private String password = "";
    private String tenant = "";
    private long tokenLifetimeSeconds = 3600;
    private long requestTimeoutMillis = 2000;
    private int retries = 3;
    private long retryBackoffMillis = 200;
    private String soundsDirectory = "/var/lib/wazo/sounds/ivrflow";
    private PromptMedia promptMedia;
    private Prompts prompts;
    private String fallbackSound = "sound:beep";
    private long ringTimeoutSeconds = 30;
    private String musicOnHold = "";
    private String destinations = "";
    private String defaultContext = "default";
    private String outgoingContext = "to-extern";
    private String voicemailPrefix = "*97";
    private String voicemailContext = "default";
    private long directoryCacheSeconds = 60;
    private long queueCacheSeconds = 300;
    private long agentCacheMillis = 2000;
    private int lanes = 4;

    private volatile WazoCalls calls;
    private volatile CallLanes callLanes;
    private volatile WazoHttp http;

    /** One message of the bus. */
    public void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        Channel channel = physical(exchange.getProperty(CHANNEL, Channel.class));
        Long tag = in.getHeader(DELIVERY_TAG, Long.class);
        String application = exchange.getProperty("wazoApplication", String.class);
        String flowId = exchange.getProperty("wazoFlow", String.class);
        BusEvent event;
        try {
            event = BusEvent.parse(in.getBody(byte[].class), in.getHeaders());
            if (application != null && !application.equals(event.applicationUuid())) {
                throw new BusEvent.Garbled("event of application " + event.applicationUuid()
                        + " on the queue of application " + application);
            }
        } catch (BusEvent.Garbled e) {
            LOG.warn("dead-lettered a bus message: {}", e.getMessage());
            settle(channel, tag, false);
            return;
        }
        if (!event.handled()) {
            LOG.debug("{} for application {}: not used, acknowledged", event.name(), event.applicationUuid());
            settle(channel, tag, true);
            return;
        }
        calls().dispatch(event, flowId, ok -> settle(channel, tag, ok));
    }

    /** Drops calls whose deletion event never came (routes/wazo-call-expiry.camel.yaml). */
    public int expire(long maxIdleMinutes) {
        return calls().expire(Duration.ofMinutes(maxIdleMinutes));
    }

    /** Tasks queued on the call lanes (tests wait for none). */
    public int lanesPending() {
        calls();
        return callLanes.pending();
    }

    /** Requests to Wazo not yet answered (tests wait for none but those the fake holds on purpose). */
    public int requestsInFlight() {
        calls();
        return http.inFlight();
    }

    /**
     * The physical channel, not Spring's proxy: after a reconnect the proxy points at a new channel, where this
     * message's delivery tag means nothing (acking it there would make the broker close that channel).
     */
    private static Channel physical(Channel channel) {
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }

    /** Acknowledges, or rejects without requeue (the queue's dead-letter exchange takes it). */
    private static void settle(Channel channel, Long tag, boolean ok) {
        if (channel == null || tag == null) {
            return;
        }
        try {
            if (ok) {
                channel.basicAck(tag, false);
            } else {
                channel.basicReject(tag, false);
            }
        } catch (IOException | RuntimeException e) {
            // the connection dropped meanwhile: the broker redelivers the message to the next consumer
            LOG.debug("could not settle message {}: {}", tag, e.getMessage());
        }
    }

    public WazoCalls calls() {
        WazoCalls c = calls;
        if (c == null) {
            synchronized (this) {
                if (calls == null) {
                    calls = build();
                }
                c = calls;
            }
        }
        return c;
    }

    private WazoCalls build() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(requestTimeoutMillis)).build();
        Duration timeout = Duration.ofMillis(requestTimeoutMillis);
        WazoAuth auth = new WazoAuth(client, authUrl, username, password, Duration.ofSeconds(tokenLifetimeSeconds),
                timeout, clock);
        if (!auth.configured()) {
            LOG.warn("no Wazo service account (WAZO_USERNAME / WAZO_PASSWORD): calld will refuse every command");
        }
        http = new WazoHttp(client, auth, tenant, timeout, retries, Duration.ofMillis(retryBackoffMillis));
        Confd confd = new Confd(http, confdUrl, Duration.ofSeconds(queueCacheSeconds), clock);
        Agentd agentd = new Agentd(http, agentdUrl, Duration.ofMillis(agentCacheMillis), clock);
        WazoTargets targets = new WazoTargets(confd, agentd, destinations, defaultContext, outgoingContext,
                voicemailPrefix, voicemailContext);
        LookupService lookups = new DirdLookups(http, dirdUrl, httpLookups, Duration.ofSeconds(directoryCacheSeconds),
                clock);
        LOG.info("Wazo adapter: calld {}, {} lane(s), ring timeout {} s, sounds in {}", calldUrl, lanes,
                ringTimeoutSeconds, soundsDirectory);
        callLanes = new CallLanes(lanes);
        return new WazoCalls(flowRepository, callStore, callLanes,
                timers != null ? timers : Timers.system(clock), clock, new Calld(http, calldUrl), lookups, targets,
                promptMedia != null ? promptMedia : promptMedia(), journal, Duration.ofSeconds(ringTimeoutSeconds), musicOnHold);
    }

    /** Synthesised prompts when the prompts bean makes them for Wazo, else the fixed file names. */
    private PromptMedia promptMedia() {
        if (prompts == null || prompts.platforms().stream().noneMatch(p -> p.name().equals("wazo"))) {
            LOG.warn("Wazo adapter: no prompt synthesis for Wazo (ivr.prompts wazo platform off): text prompts "
                    + "play from {}/tts/", soundsDirectory);
            return new PromptMedia(soundsDirectory);
        }
        return new PromptMedia(soundsDirectory, prompts.resolver(), prompts.platform("wazo"), fallbackSound);
    }

    // ---------------------------------------------------------------- configuration

    public void setPrompts(Prompts prompts) {
        this.prompts = prompts;
    }

    /** Played when a prompt has no audio in time (Wazo has no TTS to fall back on). */
    public void setFallbackSound(String fallbackSound) {
        this.fallbackSound = fallbackSound;
    }

    public void setFlowRepository(FlowRepository flowRepository) {
        this.flowRepository = flowRepository;
    }

    public void setJournal(CallJournal journal) {
        this.journal = journal;
    }

    public CallJournal getJournal() {
        return journal;
    }

    /** Lookups other than the directory (source: http). */
    public void setHttpLookups(LookupService httpLookups) {
        this.httpLookups = httpLookups;
    }

    public void setCallStore(CallStore callStore) {
        this.callStore = callStore;
    }

    public CallStore getCallStore() {
        return callStore;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public void setTimers(Timers timers) {
        this.timers = timers;
    }

    public void setCalldUrl(String calldUrl) {
        this.calldUrl = trim(calldUrl);
    }

    public void setConfdUrl(String confdUrl) {
        this.confdUrl = trim(confdUrl);
    }

    public void setAgentdUrl(String agentdUrl) {
        this.agentdUrl = trim(agentdUrl);
    }

    public void setDirdUrl(String dirdUrl) {
        this.dirdUrl = trim(dirdUrl);
    }

    public void setAuthUrl(String authUrl) {
        this.authUrl = trim(authUrl);
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public void setTokenLifetimeSeconds(long tokenLifetimeSeconds) {
        this.tokenLifetimeSeconds = tokenLifetimeSeconds;
    }

    public void setRequestTimeoutMillis(long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public void setRetryBackoffMillis(long retryBackoffMillis) {
        this.retryBackoffMillis = retryBackoffMillis;
    }

    public void setPromptMedia(PromptMedia promptMedia) {
        this.promptMedia = promptMedia;
    }

    public void setSoundsDirectory(String soundsDirectory) {
        this.soundsDirectory = soundsDirectory;
    }

    public void setRingTimeoutSeconds(long ringTimeoutSeconds) {
        this.ringTimeoutSeconds = ringTimeoutSeconds;
    }

    public void setMusicOnHold(String musicOnHold) {
        this.musicOnHold = musicOnHold;
    }

    public void setDestinations(String destinations) {
        this.destinations = destinations;
    }

    public void setDefaultContext(String defaultContext) {
        this.defaultContext = defaultContext;
    }

    public void setOutgoingContext(String outgoingContext) {
        this.outgoingContext = outgoingContext;
    }

    public void setVoicemailPrefix(String voicemailPrefix) {
        this.voicemailPrefix = voicemailPrefix;
    }

    public void setVoicemailContext(String voicemailContext) {
        this.voicemailContext = voicemailContext;
    }

    public void setDirectoryCacheSeconds(long directoryCacheSeconds) {
        this.directoryCacheSeconds = directoryCacheSeconds;
    }

    public void setQueueCacheSeconds(long queueCacheSeconds) {
        this.queueCacheSeconds = queueCacheSeconds;
    }

    public void setAgentCacheMillis(long agentCacheMillis) {
        this.agentCacheMillis = agentCacheMillis;
    }

    public void setLanes(int lanes) {
        this.lanes = lanes;
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
