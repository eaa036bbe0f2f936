package io.ivrflow.wazo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at an instant, without a thread waiting for it. The adapter's input timers (first digit,
 * inter-digit, lookup and ring timeouts) are all such instants; tests replace this with a virtual clock.
 */
public interface Timers {

    /** A scheduled task that may still be called off. */
    interface Timer {
        void cancel();
    }

    Timer at(Instant when, Runnable task);

    /** Real time: one scheduler thread that only hands tasks on (they must not block). */
    static Timers system(Clock clock) {
        return system(clock, "ivrflow-wazo-timers");
    }

    /** Real time on a thread of that name (a benchmark's fake keeps its own, so its CPU is told apart). */
    static Timers system(Clock clock, String threadName) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return (when, task) -> {
            long delay = Math.max(0, Duration.between(clock.instant(), when).toNanos());
            ScheduledFuture<?> f = scheduler.schedule(task, delay, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }
}
