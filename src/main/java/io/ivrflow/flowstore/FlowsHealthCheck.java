package io.ivrflow.flowstore;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Health check {@code ivrflow/flows}: UP when at least one flow can run. A readiness check only: a service with
 * no usable flow should get no calls, but restarting it would not fix the flow files.
 *
 * <p>Bound in the registry by the composition root; Camel's registry health-check repository picks up every
 * {@code HealthCheck} bean.
 */
public class FlowsHealthCheck extends AbstractHealthCheck {

    private final FlowRepository repository;

    public FlowsHealthCheck(FlowRepository repository) {
        super("ivrflow", "flows");
        this.repository = repository;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        FlowRepository repo = repository;
        var entries = repo.entries();
        int serving = repo.catalog().all().size();
        String withErrors = entries.stream().filter(e -> e.errorCount() > 0).map(e -> e.file().toString())
                .collect(Collectors.joining(","));
        builder.detail("flows.directory", repo.directory().toString());
        builder.detail("flows.serving", serving);
        builder.detail("flows.files", entries.size());
        builder.detail("flows.filesWithErrors", entries.stream().filter(e -> e.errorCount() > 0).count());
        builder.detail("flows.filesWithErrors.names", withErrors);
        if (repo.lastReload() != null) {
            builder.detail("flows.lastReload", repo.lastReload().toString());
        }
        // (no file names in the message: the management server escapes messages twice, data once)
        if (repo.lastReload() == null) {
            builder.down().message("flows not loaded yet");
        } else if (serving == 0) {
            builder.down().message("no usable flow: " + entries.size() + " flow file(s), all with errors or none");
        } else {
            builder.up();
        }
    }
}
