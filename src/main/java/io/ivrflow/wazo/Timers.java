package io.ivrflow.wazo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at an instant, without a thread waiting for it. The adapter's input timers (first digit,
 * inter-digit, lookup and ring timeouts) and its retry delays are all such instants; tests replace this with a
 * virtual clock.
 */
public interface Timers {

    /** A scheduled task that may still be called off. */
    interface Timer {
        void cancel();
    }

    Timer at(Instant when, Runnable task);

    /** Real time on a scheduler the caller owns and stops; tasks only hand work on (they must not block). */
    static Timers on(ScheduledExecutorService scheduler, Clock clock) {
        return (when, task) -> {
            long delay = Math.max(0, Duration.between(clock.instant(), when).toNanos());
            try {
                ScheduledFuture<?> f = scheduler.schedule(task, delay, TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            } catch (RejectedExecutionException e) {
                // stopping: nothing will run any more
                return () -> { };
            }
        };
    }
}
