package io.ivrflow.wazo.fake;

import io.ivrflow.wazo.Timers;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock and a timer queue the test moves by hand: the adapter's input timers and the fake Wazo's playback and
 * ringing times all wait here, so a scenario with minutes of silence runs in milliseconds and in the same order
 * every time.
 */
public final class VirtualTime extends Clock implements Timers {

    private record Task(Instant at, long seq, Runnable run, boolean[] cancelled) implements Comparable<Task> {
        public int compareTo(Task o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final AtomicReference<Instant> now;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final AtomicLong seq = new AtomicLong();

    public VirtualTime(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public synchronized Timer at(Instant when, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(when, seq.incrementAndGet(), task, cancelled));
        return () -> {
            synchronized (VirtualTime.this) {
                cancelled[0] = true;
            }
        };
    }

    /** When the next live task is due, or null. */
    public synchronized Instant next() {
        while (!tasks.isEmpty() && tasks.peek().cancelled()[0]) {
            tasks.poll();
        }
        return tasks.isEmpty() ? null : tasks.peek().at();
    }

    /** Moves the clock to the next task and runs it; false when there is none due by {@code limit}. */
    public boolean runNext(Instant limit) {
        Task t;
        synchronized (this) {
            Instant due = next();
            if (due == null || due.isAfter(limit)) {
                return false;
            }
            t = tasks.poll();
            if (t.at().isAfter(now.get())) {
                now.set(t.at());
            }
        }
        t.run().run();
        return true;
    }

    public synchronized void clear() {
        tasks.clear();
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
