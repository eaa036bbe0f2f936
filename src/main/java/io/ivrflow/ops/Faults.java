package io.ivrflow.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What went wrong with the things the service leans on, as it went wrong: a peer that answered 5xx or did not
 * answer (calld, confd, agentd, dird, wazo-auth, Polly, a lookup), a disk that refused a write (the prompt cache,
 * the flow history), a flows folder that could not be read. Each kind of fault of each source is counted and its
 * last occurrence kept; the metrics ({@code ivr_faults_total}) and the {@code ivrflow/faults} health check show
 * them. Details are the callers' own words: never a URL's query, a number or a token.
 */
public final class Faults {

    /** The last fault of a kind from a source, and how many there were. */
    public record Fault(String source, String kind, String detail, Instant at, long count) {
    }

    private final Clock clock;
    private final Map<String, Fault> last = new ConcurrentHashMap<>();
    private final List<Consumer<Fault>> listeners = new CopyOnWriteArrayList<>();

    public Faults(Clock clock) {
        this.clock = clock;
    }

    /** Faults nobody looks at (a tool, a test of one part). */
    public static Faults unwatched() {
        return new Faults(Clock.systemUTC());
    }

    /**
     * One fault.
     *
     * @param source what failed: {@code calld}, {@code polly}, {@code prompt-cache} ...
     * @param kind   how: {@code 5xx}, {@code timeout}, {@code unreachable}, {@code throttled}, {@code disk} ...
     */
    public void record(String source, String kind, String detail) {
        Fault f = last.merge(source + "|" + kind, new Fault(source, kind, detail, clock.instant(), 1),
                (old, now) -> new Fault(source, kind, detail, now.at(), old.count() + 1));
        listeners.forEach(l -> l.accept(f));
    }

    /** Told of every fault as it is recorded (the metrics). */
    public void listen(Consumer<Fault> listener) {
        listeners.add(listener);
    }

    /** The last fault of each source and kind, newest first. */
    public List<Fault> all() {
        return last.values().stream().sorted(Comparator.comparing(Fault::at).reversed()).toList();
    }

    public long count(String source, String kind) {
        Fault f = last.get(source + "|" + kind);
        return f == null ? 0 : f.count();
    }
}
