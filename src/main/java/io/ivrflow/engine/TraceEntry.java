package io.ivrflow.engine;

import java.time.Instant;

/** The call entered a node: from which node, by which edge, at what instant. */
public record TraceEntry(Instant at, String flowId, String nodeId, String from, String edge) {
}
