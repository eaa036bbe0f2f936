package io.ivrflow.ops;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Health check {@code ivrflow/faults}: what went wrong lately with the peers and disks the service leans on, one
 * detail per source and kind ({@code faults.calld.timeout = 3 (last 2026-12-04T10:15:30Z: no answer in time)}).
 * It stays UP: the service goes on without what failed (a caller hears an apology, the platform's voice, the
 * flows loaded before); the details say what to look at, the broker's own check goes DOWN when it must.
 */
public class FaultsHealthCheck extends AbstractHealthCheck {

    private final Faults faults;

    public FaultsHealthCheck(Faults faults) {
        super("ivrflow", "faults");
        this.faults = faults;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        for (Faults.Fault f : faults.all()) {
            builder.detail("faults." + f.source() + "." + f.kind(), f.count() + " (last " + f.at() + ": "
                    + f.detail() + ")");
        }
        builder.up();
    }
}
