package io.ivrflow.bench;

import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.prompts.AudioCache;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.AudioFormat;
import io.ivrflow.prompts.AudioTarget;
import io.ivrflow.prompts.LocalSpeech;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.Pregeneration;
import io.ivrflow.prompts.PromptCatalog;
import io.ivrflow.prompts.PromptResolver;
import io.ivrflow.prompts.PromptSettings;
import io.ivrflow.prompts.Prompts;
import io.ivrflow.prompts.Speech;
import io.ivrflow.prompts.SpeechRequest;
import io.ivrflow.prompts.SpeechSpec;
import io.ivrflow.prompts.Wav;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * Prompts module figures (see docs/benchmarks.md, "Prompts"). A plain main that prints, asserts nothing:
 *
 * <ol>
 *   <li><b>Pre-generation</b> with the local backend (espeak-ng): {@code runs} times, a fresh temporary cache
 *   folder and a fresh {@link Prompts} bean (backends {@code local}, Plivo and Wazo platforms, {@code threads}
 *   speech threads) pre-generate every prompt of the flows of {@code flows/} that load without errors. Printed:
 *   wall time, the report's counts, files and bytes in the cache; then a second pre-generation by the same bean
 *   (everything cached) and one by a new bean on the full folder (as at a restart: scan, then all cached).</li>
 *   <li><b>Where the time goes</b>: one thread, each distinct prompt once: espeak-ng at 22.05 kHz through
 *   {@link LocalSpeech#synthesise} (process, WAV read and write; what Plivo gets, no resampling), the resampling
 *   to 8 kHz of that audio ({@link Wav#resample}, what Wazo gets), and the cache write of each
 *   ({@link AudioCache#put}: temporary file, fsync, rename).</li>
 *   <li><b>Cache hits</b>: with the full cache, {@link PromptResolver#resolve}{@code (prompt, platform).join()}
 *   for the Plivo and the Wazo platform, over every catalogued prompt of the flows in a shuffled fixed order
 *   (each distinct prompt equally often, recorded ones included), one thread, {@code warm-up} calls then
 *   {@code measured} calls each timed with {@link System#nanoTime()}; then {@link Speech#cached} alone on the
 *   same prompts' requests. Percentiles from the sorted {@code long[]}; throughput over the whole measured loop
 *   (the two {@code nanoTime} calls per call included); bytes allocated per call by the measuring thread.</li>
 * </ol>
 *
 * <p>Run: {@code bench/prompts.sh [runs] [threads] [measured] [warm-up]} (defaults 3, 2, 200000, 20000), from
 * the project folder (it reads {@code flows/}).
 */
public final class PromptsBenchmark {

    private PromptsBenchmark() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = benchmark(args);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    static int benchmark(String[] args) throws Exception {
        int runs = Math.max(1, args.length > 0 ? Integer.parseInt(args[0]) : 3);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;

        FlowFiles.Report loaded = FlowFiles.load(new FlowLoader(), Path.of("flows"));
        List<Flow> flows = loaded.files().stream().filter(l -> l.flow() != null && !l.hasErrors())
                .map(FlowLoader.Loaded::flow).toList();
        List<String> skipped = loaded.files().stream().filter(l -> l.flow() == null || l.hasErrors())
                .map(l -> l.file().getFileName().toString()).toList();
        List<RenderedPrompt> catalogue = new ArrayList<>();
        flows.forEach(f -> PromptCatalog.of(f).forEach(i -> catalogue.add(i.prompt())));

        System.out.printf("%nprompts benchmark: %d run(s), %d speech thread(s), cache hits %,d measured after %,d "
                        + "warm-up; %s %s, %d CPUs, JVM options %s%n", runs, threads, measured, warmUp,
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf("flows: %s (%d catalogued prompts)%s%n",
                flows.stream().map(f -> f.id() + " " + PromptCatalog.of(f).size()).toList(), catalogue.size(),
                skipped.isEmpty() ? "" : "; skipped (errors): " + skipped);

        List<Path> folders = new ArrayList<>();
        Prompts prompts = null;
        int status = 0;
        try {
            // ---------------------------------------------------------------- 1. pre-generation
            System.out.printf("%n1. pre-generation, local backend (espeak-ng), platforms plivo (mp3:22050 → wav "
                    + "22.05 kHz) and wazo (wav 8 kHz), %d thread(s)%n%n", threads);
            System.out.printf("%-4s %10s %10s %7s %6s %7s %9s %6s %7s %9s %11s %12s%n", "run", "build ms",
                    "wall s", "total", "made", "cached", "recorded", "failed", "files", "MB", "all-cached ms",
                    "restart ms");
            List<Double> walls = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Path folder = Files.createTempDirectory("ivrflow-bench-prompts-");
                folders.add(folder);
                long t0 = System.nanoTime();
                prompts = bean(folder, threads);
                long built = System.nanoTime() - t0;

                Cpu cpu = new Cpu();
                long t1 = System.nanoTime();
                Pregeneration.Report first = prompts.pregenerate(flows, null);
                long wall = System.nanoTime() - t1;
                String cpuUse = cpu.since();
                long[] files = files(folder);

                long t2 = System.nanoTime();
                Pregeneration.Report again = prompts.pregenerate(flows, null);
                long allCached = System.nanoTime() - t2;

                long t3 = System.nanoTime();
                Prompts restarted = bean(folder, threads);
                Pregeneration.Report afterRestart = restarted.pregenerate(flows, null);
                long restart = System.nanoTime() - t3;

                walls.add(wall / 1e9);
                System.out.printf("%-4d %10.1f %10.2f %7d %6d %7d %9d %6d %7d %9.2f %11.1f %12.1f%n", run,
                        built / 1e6, wall / 1e9, first.total(), first.made(), first.cached(), first.recorded(),
                        first.failed(), files[0], files[1] / 1e6, allCached / 1e6, restart / 1e6);
                if (!cpuUse.isEmpty()) {
                    System.out.println("     CPU during the pre-generation: " + cpuUse);
                }
                if (!first.ok() || again.made() != 0 || afterRestart.made() != 0) {
                    System.out.printf("     unexpected: first %s; again %s; after restart %s%n", first, again,
                            afterRestart);
                    first.failures().forEach(f -> System.out.println("     failed: " + f));
                    status = 1;
                }
            }
            Collections.sort(walls);
            System.out.printf("%nwall time: median %.2f s, min %.2f s, max %.2f s; %d prompt audio file(s) of %s "
                            + "(the last run's cache)%n", walls.get(walls.size() / 2), walls.get(0),
                    walls.get(walls.size() - 1), files(folders.get(folders.size() - 1))[0],
                    durations(folders.get(folders.size() - 1)));

            // ---------------------------------------------------------------- 2. where the time goes
            breakdown(prompts, catalogue);

            // ---------------------------------------------------------------- 3. cache hits
            PromptResolver resolver = prompts.resolver();
            Speech speech = resolver.speech();
            List<RenderedPrompt> mix = new ArrayList<>(catalogue);
            Collections.shuffle(mix, new Random(42));
            RenderedPrompt[] order = mix.toArray(RenderedPrompt[]::new);
            System.out.printf("%n3. cache hits (full cache of the last run), one thread, %d prompts in a shuffled "
                    + "fixed order, %,d warm-up + %,d measured calls each%n%n", order.length, warmUp, measured);
            System.out.printf("%-44s %9s %9s %9s %9s %9s %12s %9s%n", "call", "p50 µs", "p90 µs", "p99 µs",
                    "p99.9 µs", "max µs", "calls/s", "B/call");
            Map<String, String> answers = new LinkedHashMap<>();
            Cpu cpu = new Cpu();
            for (String name : List.of("plivo", "wazo")) {
                Platform platform = prompts.platform(name);
                answers.put(name, answerMix(resolver, platform, order));
                IntUnaryOperator call = i -> {
                    PromptResolver.Resolved r = resolver.resolve(order[i % order.length], platform).join();
                    return r instanceof PromptResolver.Resolved.Synthesised ? 1 : 0;
                };
                row("PromptResolver.resolve(p, " + name + ").join()", call, warmUp, measured);
            }
            for (String name : List.of("plivo", "wazo")) {
                Platform platform = prompts.platform(name);
                SpeechRequest[] requests = Arrays.stream(order).map(p -> SpeechRequest.of(p, platform.target()))
                        .flatMap(Optional::stream).toArray(SpeechRequest[]::new);
                IntUnaryOperator call = i -> speech.cached(requests[i % requests.length]).isPresent() ? 1 : 0;
                row("Speech.cached(request) (" + name + ", " + requests.length + " requests)", call, warmUp,
                        measured);
            }
            String cpuUse = cpu.since();
            System.out.println();
            if (!cpuUse.isEmpty()) {
                System.out.println("CPU during the cache-hit rows: " + cpuUse);
            }
            answers.forEach((name, mixText) -> System.out.println("answers on " + name + ": " + mixText));
        } finally {
            EXECUTORS.forEach(ExecutorService::shutdownNow);
            for (Path f : folders) {
                delete(f);
            }
        }
        return status;
    }

    /**
     * CPU over a window, in cores: the machine ({@code /proc/stat}, busy = all but idle and iowait), this JVM with
     * its reaped children (espeak-ng), from {@code /proc/self/stat}, and the difference: other processes.
     */
    static final class Cpu {
        private final long wall = System.nanoTime();
        private final long[] machine = machine();
        private final long self = self();

        /** "machine x.xx, this JVM + espeak-ng y.yy, others z.zz" (cores), or empty off Linux. */
        String since() {
            long[] m = machine();
            long s = self();
            if (m == null || machine == null || s < 0 || self < 0) {
                return "";
            }
            double seconds = (System.nanoTime() - wall) / 1e9;
            double busy = (m[0] - machine[0]) / 100.0 / seconds;
            double mine = (s - self) / 100.0 / seconds;
            return String.format("machine %.2f, this JVM + espeak-ng %.2f, others %.2f cores", busy, mine,
                    Math.max(0, busy - mine));
        }

        /** Busy and total ticks of the machine (USER_HZ, 100 on Linux). */
        private static long[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] {total - idle, total};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** utime + stime + cutime + cstime of this process, in ticks; -1 off Linux. */
        private static long self() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields 14-17 of proc(5); f[0] is field 3
                return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** The synthesis threads of every Prompts made, stopped at the end of the run. */
    private static final List<ExecutorService> EXECUTORS = new ArrayList<>();

    /** The prompts as the service builds them, on a cache folder, for Plivo and Wazo, with the local backend. */
    static Prompts bean(Path folder, int threads) {
        PromptSettings settings = PromptSettings.defaults(folder).withBackends(List.of("local"))
                .withPlatforms(io.ivrflow.prompts.AudioTarget.parse("mp3:22050"), true).withThreads(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        EXECUTORS.add(executor);
        return new Prompts(settings, new AudioFiles("flows"), Prompts.backends(settings, null), executor,
                Platform.SERVED, () -> FlowCatalog.of(List.of()), io.ivrflow.ops.Faults.unwatched());
    }

    /** Files in the folder and their bytes. */
    static long[] files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            long[] n = new long[2];
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                n[0]++;
                n[1] += Files.size(f);
            }
            return n;
        }
    }

    /** Seconds of audio in the folder's WAV files, per sample rate. */
    static String durations(Path folder) throws IOException {
        Map<Integer, double[]> byRate = new TreeMap<>(Comparator.reverseOrder());
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".wav")).toList()) {
                Wav.Header h = Wav.header(Files.readAllBytes(f));
                double[] a = byRate.computeIfAbsent(h.sampleRate(), r -> new double[2]);
                a[0]++;
                a[1] += h.duration().toNanos() / 1e9;
            }
        }
        List<String> parts = new ArrayList<>();
        byRate.forEach((rate, a) -> parts.add(String.format("%.0f at %d Hz, %.1f s of audio", a[0], rate, a[1])));
        return String.join("; ", parts);
    }

    /** How each catalogued prompt is answered on a platform (recorded file, cached audio, ...). */
    static String answerMix(PromptResolver resolver, Platform platform, RenderedPrompt[] order) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RenderedPrompt p : order) {
            counts.merge(resolver.resolve(p, platform).join().getClass().getSimpleName(), 1, Integer::sum);
        }
        return counts.toString();
    }

    /** Times each call; prints percentiles (µs) and calls per second over the measured loop. */
    static void row(String label, IntUnaryOperator call, int warmUp, int measured) {
        long sink = 0;
        for (int i = 0; i < warmUp; i++) {
            sink += call.applyAsInt(i);
        }
        long[] ns = new long[measured];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            long t = System.nanoTime();
            sink += call.applyAsInt(i);
            ns[i] = System.nanoTime() - t;
        }
        long total = System.nanoTime() - start;
        long bytes = threads.getCurrentThreadAllocatedBytes() - allocated;
        Arrays.sort(ns);
        System.out.printf("%-44s %9.2f %9.2f %9.2f %9.2f %9.1f %,12.0f %,9d%s%n", label, pct(ns, 0.50),
                pct(ns, 0.90), pct(ns, 0.99), pct(ns, 0.999), ns[ns.length - 1] / 1e3, measured / (total / 1e9),
                bytes / measured, sink < 0 ? "!" : "");
    }

    static double pct(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }

    /**
     * One thread, each distinct synthesised prompt once (keyed as the local backend keys it for Wazo): espeak-ng
     * at 22.05 kHz, resampling that to 8 kHz, and the cache write of both files, into a scratch folder.
     */
    static void breakdown(Prompts prompts, List<RenderedPrompt> catalogue) throws Exception {
        LocalSpeech local = new LocalSpeech("espeak-ng", Map.of(), 165, Duration.ofSeconds(20));
        AudioTarget wide = new AudioTarget(AudioFormat.WAV, 22050);
        PromptResolver resolver = prompts.resolver();
        Map<String, SpeechSpec[]> distinct = new LinkedHashMap<>();
        for (RenderedPrompt p : catalogue) {
            if (resolver.hasRecording(p)) {
                continue;
            }
            Optional<SpeechRequest> narrow = SpeechRequest.of(p, AudioTarget.TELEPHONY_WAV);
            Optional<SpeechRequest> full = SpeechRequest.of(p, wide);
            if (narrow.isEmpty() || full.isEmpty()) {
                continue;
            }
            SpeechSpec n = local.spec(narrow.get()).orElseThrow();
            distinct.putIfAbsent(n.key(), new SpeechSpec[] {local.spec(full.get()).orElseThrow(), n});
        }
        Path scratch = Files.createTempDirectory("ivrflow-bench-prompts-breakdown-");
        try {
            AudioCache cache = new AudioCache(scratch);
            int n = distinct.size();
            long[] espeak = new long[n];
            long[] resample = new long[n];
            long[] write = new long[n];
            double audio = 0;
            int i = 0;
            Cpu cpu = new Cpu();
            for (SpeechSpec[] s : distinct.values()) {
                long t0 = System.nanoTime();
                byte[] at22 = local.synthesise(s[0]);
                long t1 = System.nanoTime();
                byte[] at8 = Wav.write(Wav.resample(Wav.read(at22), 8000));
                long t2 = System.nanoTime();
                cache.put(s[0].key(), AudioFormat.WAV, at22);
                cache.put(s[1].key(), AudioFormat.WAV, at8);
                long t3 = System.nanoTime();
                espeak[i] = t1 - t0;
                resample[i] = t2 - t1;
                write[i] = t3 - t2;
                audio += Wav.header(at22).duration().toNanos() / 1e9;
                i++;
            }
            System.out.printf("%n2. where the time goes: one thread, each of the %d distinct synthesised prompts once "
                    + "(%.1f s of speech, %.2f s per prompt on average)%n%n", n, audio, audio / n);
            System.out.printf("%-58s %10s %10s %10s %10s%n", "step, per prompt", "total s", "mean ms", "p50 ms",
                    "max ms");
            stage("espeak-ng at 22.05 kHz (process, WAV read + write)", espeak);
            stage("resample 22.05 → 8 kHz (Wav.read, resample, Wav.write)", resample);
            stage("cache writes, both files (temp file, fsync, rename)", write);
            long sum = Arrays.stream(espeak).sum() + Arrays.stream(resample).sum() + Arrays.stream(write).sum();
            System.out.printf("%-58s %10.2f%n", "all three (one thread, no overlap)", sum / 1e9);
            String cpuUse = cpu.since();
            if (!cpuUse.isEmpty()) {
                System.out.println("CPU during these steps: " + cpuUse);
            }
        } finally {
            delete(scratch);
        }
    }

    static void stage(String label, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf("%-58s %10.2f %10.1f %10.1f %10.1f%n", label, Arrays.stream(s).sum() / 1e9,
                Arrays.stream(s).average().orElse(0) / 1e6, pct(s, 0.5) / 1e3, s[s.length - 1] / 1e6);
    }

    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
