package io.ivrflow.wazo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The default {@link CallStore}: a map, good for one instance consuming the bus. */
public final class InMemoryCallStore implements CallStore {

    private final Map<String, WazoCall> calls = new ConcurrentHashMap<>();

    @Override
    public Optional<WazoCall> get(String callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    @Override
    public void put(WazoCall call) {
        calls.put(call.callId(), call);
    }

    @Override
    public void remove(String callId) {
        calls.remove(callId);
    }

    @Override
    public List<WazoCall> idleSince(Instant before) {
        return calls.values().stream().filter(c -> c.touched().isBefore(before)).toList();
    }

    @Override
    public int size() {
        return calls.size();
    }
}
