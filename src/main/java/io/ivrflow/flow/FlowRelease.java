package io.ivrflow.flow;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flows serving at one moment, named by their versions: what a call is pinned to. A call keeps its release
 * from its first event to its last, so a flow changed or removed meanwhile (and the sub-flows it calls) does
 * not change under a caller.
 *
 * @param id       content hash over every {@code flow id = version} pair: equal flows, equal id, on every instance
 * @param catalog  the flows, by id
 * @param versions flow id to the version (content hash) of the file it came from
 * @param at       when this instance first served it
 */
public record FlowRelease(String id, FlowCatalog catalog, Map<String, String> versions, Instant at) {

    public FlowRelease {
        versions = Map.copyOf(versions);
    }

    /** A release of these flows; {@code versions} names their files' contents. */
    public static FlowRelease of(Collection<Flow> flows, Map<String, String> versions, Instant at) {
        StringBuilder names = new StringBuilder();
        new TreeMap<>(versions).forEach((flow, version) -> names.append(flow).append('=').append(version).append('\n'));
        return new FlowRelease(FlowLoader.version(names.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                FlowCatalog.of(flows), versions, at);
    }
}
