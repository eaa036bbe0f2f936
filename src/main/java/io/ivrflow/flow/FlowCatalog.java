package io.ivrflow.flow;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The flows a call may run in, by id (a flow and the sub-flows it calls). */
public interface FlowCatalog {

    Optional<Flow> find(String flowId);

    Collection<Flow> all();

    static FlowCatalog of(Collection<Flow> flows) {
        Map<String, Flow> byId = new LinkedHashMap<>();
        flows.forEach(f -> byId.put(f.id(), f));
        Map<String, Flow> frozen = java.util.Collections.unmodifiableMap(byId);
        return new FlowCatalog() {
            public Optional<Flow> find(String flowId) {
                return Optional.ofNullable(frozen.get(flowId));
            }

            public Collection<Flow> all() {
                return frozen.values();
            }
        };
    }
}
