package io.ivrflow.wazo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything that touches one call (bus events, timers, answers from calld) runs on that call's lane, one
 * task after the other, so a call's events are handled in order and its state needs no lock. Calls are spread
 * over the lanes by their id, so different calls go in parallel. Tasks must not block: every I/O is
 * asynchronous and comes back as another task.
 *
 * <p>The lanes are single-thread executors their owner gives and stops (the service's come from Camel's
 * executor service manager, so stopping Camel stops them after their queued tasks ran).
 */
public final class CallLanes {

    private static final Logger LOG = LoggerFactory.getLogger(CallLanes.class);

    private final List<ExecutorService> lanes;
    private final AtomicInteger pending = new AtomicInteger();

    /** @param lanes single-thread executors, one per lane */
    public CallLanes(List<ExecutorService> lanes) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("at least one lane");
        }
        this.lanes = List.copyOf(lanes);
    }

    public int size() {
        return lanes.size();
    }

    /** Runs the task on the call's lane, after the tasks already queued for it. */
    public void run(String callId, Runnable task) {
        pending.incrementAndGet();
        try {
            lanes.get(Math.floorMod(callId == null ? 0 : callId.hashCode(), lanes.size())).execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("call {}: a task failed", callId, e);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            // the service is stopping: a late answer or timer has nowhere to go
            pending.decrementAndGet();
            LOG.debug("call {}: a task came after the lanes stopped", callId);
        }
    }

    /** Tasks queued or running (tests wait for none). */
    public int pending() {
        return pending.get();
    }
}
