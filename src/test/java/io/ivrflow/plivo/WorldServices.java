package io.ivrflow.plivo;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.sim.World;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services a scenario's {@link World} describes (lookups, recording), per call, as the service sees them:
 * a lookup slower than its timeout never answers, so the adapter really waits for its deadline.
 */
final class WorldServices implements LookupService, CallRecorder {

    private final Map<String, World> worlds = new ConcurrentHashMap<>();
    private final Map<String, Integer> lookupsDone = new ConcurrentHashMap<>();

    void call(String callId, World world) {
        worlds.put(callId, world);
    }

    /** Lookup request ids are {@code <call id>#<n>}. */
    private World world(String callId) {
        return worlds.getOrDefault(callId, World.DEFAULT);
    }

    @Override
    public CompletableFuture<Event.LookupResult> lookup(Action.Lookup request) {
        String callId = request.requestId().substring(0, request.requestId().lastIndexOf('#'));
        int n = lookupsDone.merge(callId + "/" + request.nodeId(), 1, Integer::sum) - 1;
        World.LookupAnswer answer = world(callId).lookup(request.nodeId(), n);
        if (answer.latency().compareTo(request.timeout()) > 0) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(new Event.LookupResult(request.requestId(), answer.status(),
                answer.fields()));
    }

    /** How many lookups the call asked for at a node. */
    int lookups(String callId, String nodeId) {
        return lookupsDone.getOrDefault(callId + "/" + nodeId, 0);
    }

    @Override
    public Event.RecordingChanged change(String callId, Action.RecordOperation operation) {
        boolean refused = world(callId).recordingFails();
        return new Event.RecordingChanged(!refused, refused ? "403 recording refused" : "ok");
    }
}
