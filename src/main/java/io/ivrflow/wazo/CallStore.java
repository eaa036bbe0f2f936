package io.ivrflow.wazo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Calls in progress on Wazo, by call id. In memory by default; a store shared between instances (several
 * consumers on one bus) would keep a copy of each call at {@link #put}. The adapter removes a call when calld
 * reports its deletion and asks for {@link #idleSince} to drop calls whose deletion event never came.
 */
public interface CallStore {

    Optional<WazoCall> get(String callId);

    void put(WazoCall call);

    void remove(String callId);

    /** Calls with no event since {@code before}. */
    List<WazoCall> idleSince(Instant before);

    int size();
}
