package io.ivrflow.wazo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Everything that touches one call (bus events, timers, answers from calld) runs on that call's lane, one
 * task after the other, so a call's events are handled in order and its state needs no lock. Calls are spread
 * over the lanes by their id, so different calls go in parallel. Tasks must not block: every I/O is
 * asynchronous and comes back as another task.
 */
public final class CallLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallLanes.class);

    private final ExecutorService[] lanes;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

    public CallLanes(int count) {
        lanes = new ExecutorService[Math.max(1, count)];
        for (int i = 0; i < lanes.length; i++) {
            String name = "ivrflow-wazo-lane-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    public int size() {
        return lanes.length;
    }

    /** Runs the task on the call's lane, after the tasks already queued for it. */
    public void run(String callId, Runnable task) {
        pending.incrementAndGet();
        lanes[Math.floorMod(callId == null ? 0 : callId.hashCode(), lanes.length)].execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("call {}: a task failed", callId, e);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Tasks queued or running (tests wait for none). */
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
