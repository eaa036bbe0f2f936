package io.ivrflow.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The console's calls in progress, by id: at most {@code max} of them, each dropped once nobody has looked at it
 * for {@code idle} (checked on every request, so no timer is needed). An operator who leaves tabs open must not fill the service's memory: when every place is
 * taken, a new call takes the place of the one left alone longest. Ids are random and unguessable, so one
 * browser tab cannot stumble on another's call.
 */
final class CallSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int max;
    private final Duration idle;
    private final Clock clock;
    /** In order of last use, least recent first. */
    private final LinkedHashMap<String, Entry> calls = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        final ConsoleCall call;
        Instant lastUsed;

        Entry(ConsoleCall call, Instant lastUsed) {
            this.call = call;
            this.lastUsed = lastUsed;
        }
    }

    CallSessions(int max, Duration idle, Clock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("the console needs room for at least one call, not " + max);
        }
        this.max = max;
        this.idle = idle;
        this.clock = clock;
    }

    /** Starts a call under a new id ({@code start} is given the id) and keeps it. */
    ConsoleCall add(Function<String, ConsoleCall> start) {
        String id = newId();
        ConsoleCall call = start.apply(id); // outside the lock: a call runs its first prompts here
        synchronized (this) {
            dropIdle();
            while (calls.size() >= max) {
                Iterator<Map.Entry<String, Entry>> eldest = calls.entrySet().iterator();
                eldest.next();
                eldest.remove();
            }
            calls.put(id, new Entry(call, clock.instant()));
        }
        return call;
    }

    /** The call, if it is still kept; looking at it counts as using it. */
    synchronized Optional<ConsoleCall> get(String id) {
        dropIdle();
        Entry e = calls.get(id);
        if (e == null) {
            return Optional.empty();
        }
        e.lastUsed = clock.instant();
        return Optional.of(e.call);
    }

    synchronized int size() {
        dropIdle();
        return calls.size();
    }

    private void dropIdle() {
        Instant limit = clock.instant().minus(idle);
        // least recently used first: stop at the first one still in use
        Iterator<Entry> it = calls.values().iterator();
        while (it.hasNext()) {
            if (it.next().lastUsed.isAfter(limit)) {
                break;
            }
            it.remove();
        }
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
