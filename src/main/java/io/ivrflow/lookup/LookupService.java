package io.ivrflow.lookup;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;

import java.util.concurrent.CompletableFuture;

/**
 * Answers the engine's {@link Action.Lookup}s. Adapters wait at most the lookup's timeout and then take the
 * flow's failure edge, so an implementation may be slow, but must never throw: a failure is a
 * {@link Event.LookupStatus#FAILED} result.
 */
public interface LookupService {

    CompletableFuture<Event.LookupResult> lookup(Action.Lookup request);
}
