package io.ivrflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ivrflow.wazo.WazoEvents;
import io.ivrflow.wazo.fake.FakeWazo;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wazo bus events per second and event-to-command latency, through the real broker (RabbitMQ on localhost:5672)
 * and a {@link FakeWazo} on real time. A plain main (see docs/benchmarks.md, "Wazo events"): it starts the service
 * with Camel Main and the real route files, on a calld application of its own (its durable queue is purged first),
 * running {@code flows/contact-centre.json} from its main menu ({@code IVR_START=main_menu} on the channel).
 *
 * <p>Each simulated call enters the application, and once its menu prompt has been asked for, the caller presses
 * 9 ("hear these options again") over and over: each key is a DTMF event that makes the service stop the prompt
 * if it still plays (barge-in: {@code DELETE /applications/{app}/playbacks/{uuid}}) and start it again
 * ({@code POST /applications/{app}/calls/{id}/playbacks}). Prompts last {@code playback-ms}, after which the fake
 * publishes their end. So every key is three events for the service (the key, the new prompt's creation, the end
 * of a prompt: stopped or played out) and one or two commands, and the calls never end.
 *
 * <p>The load offered is {@code events-per-s}: each call presses a key every {@code 3 × calls / events-per-s}
 * seconds on average (× U(0.5, 1.5) after its previous key), but never before the fake has received the prompt that
 * key asked for, so at most one key per call is outstanding and an overloaded service slows the callers down rather
 * than queueing without bound. {@code events-per-s} 0 presses as soon as that prompt arrives (saturation).
 *
 * <p>Latency: from the moment the fake hands the DTMF event to the broker's client ({@link System#nanoTime()}) to
 * the moment it begins to serve the next calld request for that call, which is the one the key caused. The fake
 * validates every request against Wazo's OpenAPI specs, as in the tests; violations and non-2xx answers are
 * counted and must be 0.
 *
 * <p>Run: {@code bench/wazo-events.sh [calls] [warm-up-s] [measured-s] [events-per-s] [playback-ms]}. With
 * {@code -Dbench.jfr=file.jfr} the measured window is recorded with Java Flight Recorder (CPU samples every ms).
 */
public final class WazoEventsBenchmark {

    /** The benchmark's own calld application, so its queue (ivrflow.wazo.&lt;uuid&gt;) is nobody else's. */
    static final String APP = "b0e7c4a1-2d3e-4f5a-9b6c-7d8e9f0a1b2c";
    static final String QUEUE = "ivrflow.wazo." + APP;
    static final String FLOW = "contact-centre";
    static final char KEY = '9';
    /** A key whose prompt has not come for this long is pressed again (counted as stalled). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** One simulated caller. Fields are touched by the press scheduler and the fake's HTTP threads. */
    static final class Caller {
        final String id;
        /** nanoTime at which the last key was published; 0 once its command has come. */
        final AtomicLong keyPublished = new AtomicLong();
        /** nanoTime of the last press (for the interval); Long.MIN_VALUE before the first. */
        volatile long lastPress = Long.MIN_VALUE;
        /** The prompt asked for by the last key (or the first prompt) has been received. */
        volatile boolean prompted;
        volatile long waitingSince = System.nanoTime();
        /** The uuids of its last two prompts (a call has one prompt started at a time). */
        volatile String lastPlayback;
        volatile String olderPlayback;

        Caller(String id) {
            this.id = id;
        }
    }

    /** Latencies of the measured window, in nanoseconds. */
    static final class Samples {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized long[] sorted() {
            long[] s = Arrays.copyOf(values, size);
            Arrays.sort(s);
            return s;
        }
    }

    private final int callCount;
    private final long intervalNanos;
    private final FakeWazo wazo;
    private final Map<String, Caller> callers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService presses = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-callers");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    private volatile boolean measuring;
    private final Samples latencies = new Samples();
    private final AtomicLong keysSent = new AtomicLong();
    private final AtomicLong calldRequests = new AtomicLong();
    private final AtomicLong keysAnswered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong callsEnded = new AtomicLong();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    private final AtomicLong stopsTooLate = new AtomicLong();
    /** Playback uuid to call id, for each call's last two prompts. */
    private final Map<String, String> playbackCalls = new ConcurrentHashMap<>();
    private static final Pattern PLAYBACK_STOP = Pattern.compile(".*/applications/[^/]+/playbacks/([^/]+)");

    WazoEventsBenchmark(int callCount, long intervalMillis, FakeWazo wazo) {
        this.callCount = callCount;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.wazo = wazo;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = benchmark(args);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 2;
        }
        // the broker's and the fake's client threads are not daemons
        System.exit(status);
    }

    static int benchmark(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 2000;
        // three events per key: the key, the creation of the prompt it asks for, the end of a prompt
        long interval = rate <= 0 ? 0 : Math.round(3_000.0 * calls / rate);
        long playback = args.length > 4 ? Long.parseLong(args[4]) : 200;
        String jfr = System.getProperty("bench.jfr", "");

        Clock clock = Clock.systemUTC();
        FakeWazo wazo = FakeWazo.startRealTime("fake-wazo-timers");
        wazo.keepRequests = false;
        wazo.playbackLength = uri -> Duration.ofMillis(playback);

        Main main = null;
        int status;
        try {
            purge();
            main = startService(wazo);
            CamelContext context = main.getCamelContext();
            WazoEvents events = context.getRegistry().lookupByNameAndType("wazoEvents", WazoEvents.class);
            waitForConsumer(context);
            WazoEventsBenchmark bench = new WazoEventsBenchmark(calls, interval, wazo);
            System.out.printf("%nwazo events benchmark: %d calls, flow %s from main_menu, key %s every %d ms per call "
                            + "(× U(0.5, 1.5), closed loop; offered %s), prompts of %d ms; %d s warm-up, %d s measured; "
                            + "%s %s, %d CPUs, JVM options %s%n", calls, FLOW, KEY, interval,
                    rate <= 0 ? "as fast as the service answers" : String.format("%,.0f events/s", rate), playback,
                    warmUp, measured,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getRuntimeMXBean().getInputArguments());
            status = bench.run(events, warmUp, measured, jfr) ? 0 : 1;
        } finally {
            if (main != null) {
                main.stop();
            }
            wazo.close();
        }
        return status;
    }

    // ---------------------------------------------------------------- the service

    static Main startService(FakeWazo wazo) throws Exception {
        Main main = new Main();
        Map<String, String> p = new HashMap<>();
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(freePort()));
        p.put("camel.management.port", String.valueOf(freePort()));
        p.put("camel.main.shutdown-timeout", "5");
        p.put("ivr.flows.reload-enabled", "false");
        io.ivrflow.PromptTestSettings.noSynthesis(p);
        p.put("ivr.wazo.enabled", "true");
        p.put("ivr.wazo.application-uuid", APP);
        p.put("ivr.wazo.flow", FLOW);
        p.put("ivr.wazo.username", FakeWazo.USERNAME);
        p.put("ivr.wazo.password", FakeWazo.PASSWORD);
        for (String service : new String[] {"calld", "confd", "agentd", "dird", "auth"}) {
            p.put("ivr.wazo." + service + "-url", wazo.url(service));
        }
        // -Divr.wazo.lanes=8 and the like, for trying settings
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ivr.") || k.startsWith("camel."))
                .forEach(k -> p.put(k, System.getProperty(k)));
        p.forEach(main::addOverrideProperty);
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("the service did not start");
        }
        return main;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ConnectionFactory rabbit() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        return f;
    }

    /** Empties the benchmark's queue, so messages left by an interrupted run do not come in. */
    static void purge() throws Exception {
        try (Connection c = rabbit().newConnection("ivrflow-bench")) {
            Channel ch = c.createChannel();
            try {
                int n = ch.queuePurge(QUEUE).getMessageCount();
                if (n > 0) {
                    System.out.printf("purged %d message(s) left on %s%n", n, QUEUE);
                }
                ch.close();
            } catch (IOException e) {
                // no such queue yet (the failed purge closed the channel)
            }
        }
    }

    /** The route's consumer is on the queue (the supervising route controller starts routes in the background). */
    static void waitForConsumer(CamelContext context) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = rabbit().newConnection("ivrflow-bench")) {
            while (true) {
                Channel ch = c.createChannel();
                try {
                    if (ch.queueDeclarePassive(QUEUE).getConsumerCount() > 0) {
                        ch.close();
                        return;
                    }
                    ch.close();
                } catch (IOException e) {
                    // not declared yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no consumer on " + QUEUE + " after 30 s (route status "
                            + context.getRouteController().getRouteStatus("wazo-events") + ")");
                }
                Thread.sleep(100);
            }
        }
    }

    // ---------------------------------------------------------------- the callers

    boolean run(WazoEvents events, int warmUp, int measured, String jfr) throws Exception {
        wazo.publishListener = this::published;
        wazo.requestListener = this::served;
        for (int i = 0; i < callCount; i++) {
            String id = wazo.enter(APP, String.format("+1555%07d", i), "3000", Map.of("IVR_START", "main_menu"));
            callers.put(id, new Caller(id));
        }
        presses.scheduleAtFixedRate(this::unstall, 1, 1, TimeUnit.SECONDS);
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmUp));
        long notPrompted = callers.values().stream().filter(c -> c.lastPress == Long.MIN_VALUE).count();
        if (notPrompted > 0) {
            System.out.printf("after the warm-up, %d call(s) have not been prompted yet%n", notPrompted);
        }

        Window w = new Window(events);
        Recording recording = jfr.isEmpty() ? null : startJfr();
        measuring = true;
        Thread.sleep(TimeUnit.SECONDS.toMillis(measured));
        measuring = false;
        w.end(events);
        if (recording != null) {
            recording.stop();
            recording.dump(Path.of(jfr));
            recording.close();
            System.out.println("JFR recording of the measured window: " + jfr
                    + " (summary: bench/jfr-top.py " + jfr + ")");
        }

        // the callers stop and hang up (which ends their prompts), so nothing comes in while the service stops
        running = false;
        presses.shutdown();
        presses.awaitTermination(5, TimeUnit.SECONDS);
        callers.keySet().forEach(wazo::hangUp);
        long backlogDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((events.calls().handled() < wazo.publishedHandled() || events.requestsInFlight() > 0)
                && System.nanoTime() < backlogDeadline) {
            Thread.sleep(20);
        }
        return report(w, events);
    }

    private void press(Caller c) {
        if (!running) {
            return;
        }
        c.prompted = false;
        c.lastPress = System.nanoTime();
        c.waitingSince = c.lastPress;
        wazo.press(c.id, KEY);
    }

    /** The fake published an event: the time of each key is the start of its latency. */
    private void published(String name, String callId, JsonNode data, long at) {
        if (callId == null) {
            return;
        }
        switch (name) {
            case "application_playback_created" -> {
                Caller c = callers.get(callId);
                if (c != null) {
                    // remembered for stops that come after the prompt ended (the fake no longer knows its call)
                    String uuid = data.path("playback").path("uuid").asText();
                    playbackCalls.put(uuid, callId);
                    String old = c.olderPlayback;
                    c.olderPlayback = c.lastPlayback;
                    c.lastPlayback = uuid;
                    if (old != null) {
                        playbackCalls.remove(old);
                    }
                }
            }
            case "application_call_dtmf_received" -> {
                Caller c = callers.get(callId);
                if (c != null) {
                    c.keyPublished.set(at);
                    if (measuring) {
                        keysSent.incrementAndGet();
                    }
                }
            }
            case "application_call_deleted" -> {
                if (running) {
                    callsEnded.incrementAndGet();
                }
            }
            default -> {
            }
        }
    }

    /** The fake served a request: the first calld request of a call after its key ends the key's latency. */
    private void served(String service, String method, String path, String callId, long received, int status) {
        Matcher stop = PLAYBACK_STOP.matcher(path);
        boolean isStop = method.equals("DELETE") && stop.matches();
        if (callId == null && isStop) {
            callId = playbackCalls.get(stop.group(1));
        }
        if (!running) {
            // after the callers hung up, the service's last prompts find no call (404): not counted
            return;
        }
        if (status == 404 && isStop) {
            // the prompt ended on its own just as the key came: calld answers 404 then too; the service ignores it
            if (measuring) {
                stopsTooLate.incrementAndGet();
            }
        } else if (status < 200 || status >= 300) {
            errors.incrementAndGet();
            errorKinds.computeIfAbsent(service + " " + method + " " + path.replaceAll("[0-9a-f-]{36}|\\d+\\.\\d+", "*")
                    + " -> " + status, k -> new AtomicLong()).incrementAndGet();
        }
        if (callId == null || !service.equals("calld")) {
            return;
        }
        Caller c = callers.get(callId);
        if (c == null) {
            return;
        }
        if (measuring) {
            calldRequests.incrementAndGet();
        }
        long key = c.keyPublished.getAndSet(0);
        if (key != 0 && measuring) {
            latencies.add(received - key);
            keysAnswered.incrementAndGet();
        }
        if (method.equals("POST") && path.endsWith("/playbacks")) {
            // the prompt the last key asked for (or the first one): the next key may come
            c.prompted = true;
            long now = System.nanoTime();
            long delay;
            if (c.lastPress == Long.MIN_VALUE) {
                delay = intervalNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(intervalNanos);
            } else {
                long next = c.lastPress + (long) (intervalNanos * (0.5 + ThreadLocalRandom.current().nextDouble()));
                delay = Math.max(0, next - now);
            }
            presses.schedule(() -> press(c), delay, TimeUnit.NANOSECONDS);
        }
    }

    /** A key whose prompt never came: counted (in the window), and the caller presses again so the call goes on. */
    private void unstall() {
        long now = System.nanoTime();
        for (Caller c : callers.values()) {
            // (also a call whose first prompt never came, or came before the call was in the map)
            if (!c.prompted && now - c.waitingSince > STALL_NANOS && running) {
                if (measuring) {
                    stalls.incrementAndGet();
                }
                press(c);
            }
        }
    }

    private static Recording startJfr() throws Exception {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("profile").getSettings());
        settings.put("jdk.ExecutionSample#period", "1 ms");
        Recording r = new Recording(settings);
        r.setName("wazo-events-benchmark");
        r.start();
        return r;
    }

    // ---------------------------------------------------------------- figures

    /** What the JVM, the broker and the machine did during the measured window. */
    final class Window {
        final long start = System.nanoTime();
        final long handled0;
        final long published0;
        final long gcCount0;
        final long gcMillis0;
        final long broker0 = brokerTicks();
        final long process0 = processTicks();
        final long[] machine0 = machineTicks();
        final Map<Long, Long> threadCpu0 = threadCpu();
        final long started0 = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        long threadsStarted;
        final Map<Long, String> threadNames = new HashMap<>();
        long seconds;
        long handled;
        long published;
        long gcCount;
        long gcMillis;
        long broker;
        long process;
        long[] machine;
        Map<Long, Long> threadCpu;

        Window(WazoEvents events) {
            handled0 = events.calls().handled();
            published0 = wazo.publishedHandled();
            gcCount0 = gc()[0];
            gcMillis0 = gc()[1];
        }

        void end(WazoEvents events) {
            seconds = System.nanoTime() - start;
            handled = events.calls().handled() - handled0;
            published = wazo.publishedHandled() - published0;
            gcCount = gc()[0] - gcCount0;
            gcMillis = gc()[1] - gcMillis0;
            broker = brokerTicks() - broker0;
            process = processTicks() - process0;
            long[] m = machineTicks();
            machine = new long[] {m[0] - machine0[0], m[1] - machine0[1]};
            threadCpu = threadCpu();
            threadsStarted = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - started0;
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                threadNames.put(t.getThreadId(), t.getThreadName());
            }
        }

        double secs() {
            return seconds / 1e9;
        }
    }

    private boolean report(Window w, WazoEvents events) {
        long[] lat = latencies.sorted();
        double s = w.secs();
        List<String> violations = wazo.violations();
        System.out.printf("%nmeasured %.1f s, %d calls (%d ended before the callers hung up), JVM options %s%n", s,
                callCount, callsEnded.get(), ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf("  events handled by the service: %,d = %,.0f events/s (published by the fake: %,.0f/s)%n",
                w.handled, w.handled / s, w.published / s);
        System.out.printf("  dtmf events sent:              %,d = %,.0f keys/s (%d stalled keys pressed again)%n",
                keysSent.get(), keysSent.get() / s, stalls.get());
        System.out.printf("  calld commands received:       %,d = %,.0f commands/s%n", calldRequests.get(),
                calldRequests.get() / s);
        System.out.printf("  event-to-command latency (%,d keys): p50 %s  p90 %s  p99 %s  max %s ms%n", lat.length,
                ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat.length == 0 ? -1 : lat[lat.length - 1]));
        System.out.printf("  spec violations: %d, errors (non-2xx answers, whole run): %d; in the window, stops of a "
                + "prompt that had just ended (404 as from calld, ignored by the service): %,d%n", violations.size(),
                errors.get(), stopsTooLate.get());
        violations.stream().limit(10).forEach(v -> System.out.println("    violation: " + v));
        errorKinds.forEach((k, n) -> System.out.printf("    %,d x %s%n", n.get(), k));
        long backlog = wazo.publishedHandled() - events.calls().handled();
        if (backlog > 0 || events.requestsInFlight() > 0) {
            System.out.printf("  not yet handled 10 s after the run: %d event(s), %d request(s) in flight%n", backlog,
                    events.requestsInFlight());
        }

        long tick = 100; // USER_HZ
        double busy = w.machine[0] / (double) tick;
        double all = (w.machine[0] + w.machine[1]) / (double) tick;
        double others = Math.max(0, busy / s - w.broker / (double) tick / s - w.process / (double) tick / s);
        System.out.printf("  CPU: machine %.0f %% busy of %d cores (%.2f cores); RabbitMQ (beam.smp) %.2f cores; this JVM "
                        + "%.2f cores (service, fake and callers), of which threads alive at both ends of the window "
                        + "%.2f; the kernel and other processes %.2f cores; GC %d collections, %d ms%n",
                all == 0 ? 0 : 100 * busy / all, Runtime.getRuntime().availableProcessors(), busy / s,
                w.broker / (double) tick / s, w.process / (double) tick / s, jvmCores(w), others, w.gcCount,
                w.gcMillis);
        System.out.printf("  threads started in the window: %,d%n", w.threadsStarted);
        System.out.println("  CPU of this JVM's threads alive at both ends, by group (cores):");
        Map<String, Long> groups = new TreeMap<>();
        w.threadCpu.forEach((id, cpu) -> {
            Long before = w.threadCpu0.get(id);
            if (before != null) {
                groups.merge(group(w.threadNames.getOrDefault(id, "?")), cpu - before, Long::sum);
            }
        });
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("    %5.2f  %s%n", e.getValue() / 1e9 / s, e.getKey()));
        long service = groups.entrySet().stream().filter(e -> SERVICE_THREADS.matcher(e.getKey()).lookingAt())
                .mapToLong(Map.Entry::getValue).sum();
        System.out.printf("  the service's own threads (%s): %.2f cores, %.0f µs per event handled (GC, JIT and the "
                        + "AMQP client's I/O thread not included)%n", SERVICE_THREADS.pattern(), service / 1e9 / s,
                w.handled == 0 ? 0 : service / 1e3 / w.handled);
        System.out.printf("RESULT calls=%d seconds=%.1f events_per_s=%.0f keys_per_s=%.0f commands_per_s=%.0f "
                        + "p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s violations=%d errors=%d late_stops=%d stalls=%d ended=%d "
                        + "jvm_cores=%.2f broker_cores=%.2f other_cores=%.2f machine_busy=%.0f%% gcs=%d gc_ms=%d%n",
                callCount, s, w.handled / s, keysSent.get() / s, calldRequests.get() / s, ms(pct(lat, 50)),
                ms(pct(lat, 90)), ms(pct(lat, 99)), ms(lat.length == 0 ? -1 : lat[lat.length - 1]), violations.size(),
                errors.get(), stopsTooLate.get(), stalls.get(), callsEnded.get(), w.process / (double) tick / s,
                w.broker / (double) tick / s, others, all == 0 ? 0 : 100 * busy / all, w.gcCount, w.gcMillis);
        return violations.isEmpty() && errors.get() == 0;
    }

    private double jvmCores(Window w) {
        long total = 0;
        for (Map.Entry<Long, Long> e : w.threadCpu.entrySet()) {
            Long before = w.threadCpu0.get(e.getKey());
            if (before != null) {
                total += e.getValue() - before;
            }
        }
        return total / 1e9 / w.secs();
    }

    /** user + system ticks of this JVM (all its threads, the JVM's own included). */
    private static long processTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The service's threads: the AMQP consumer's dispatch pool (where the route runs), the call lanes, the input
     * timers, the JDK HTTP client's threads and the common pool (where the HTTP client hands calld's answers).
     */
    static final Pattern SERVICE_THREADS = Pattern.compile(
            "pool-thread|ivrflow-wazo-|HttpClient-|ForkJoinPool.commonPool");

    /** Thread names without their numbers: the fake's, the service's (lanes, HTTP client, AMQP), the JVM's. */
    static String group(String name) {
        return name.replaceAll("[-#_ ]?\\d+", "").replaceAll("\\s+", " ");
    }

    private static Map<Long, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    private static long[] gc() {
        long n = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    /** user + system ticks of the broker's Erlang VM (0 when it is not on this machine). */
    private static long brokerTicks() {
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (!d.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    if (Files.readString(d.resolve("comm")).trim().equals("beam.smp")) {
                        String stat = Files.readString(d.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    /** {busy, idle} ticks of the whole machine (/proc/stat). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total - idle, idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format("%.2f", nanos / 1e6);
    }
}
