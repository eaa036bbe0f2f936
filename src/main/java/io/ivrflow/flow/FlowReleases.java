package io.ivrflow.flow;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where adapters get the flows a call runs on: the current release for a new call, its own for a call going on. */
public interface FlowReleases {

    /** What a new call starts on. */
    FlowRelease current();

    /** A release this instance served, while it still keeps it. */
    Optional<FlowRelease> find(String id);

    /** The call's own release, or the current one when it is unknown here (null id, forgotten, another instance's). */
    default FlowRelease pinned(String id) {
        return id == null || id.isEmpty() ? current() : find(id).orElseGet(this::current);
    }

    /** Always the same flows (tests, the simulator). */
    static FlowReleases fixed(FlowCatalog catalog) {
        Map<String, String> versions = catalog.all().stream()
                .collect(Collectors.toMap(Flow::id, f -> Integer.toHexString(f.hashCode())));
        FlowRelease only = FlowRelease.of(catalog.all(), versions, Instant.EPOCH);
        return new FlowReleases() {
            public FlowRelease current() {
                return only;
            }

            public Optional<FlowRelease> find(String id) {
                return only.id().equals(id) ? Optional.of(only) : Optional.empty();
            }
        };
    }
}
