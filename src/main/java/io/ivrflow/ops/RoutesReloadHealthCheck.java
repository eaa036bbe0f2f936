package io.ivrflow.ops;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.ResourceReloadStrategy;
import org.apache.camel.support.ResourceReloadStrategySupport;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Health check {@code ivrflow/routes-reload}: with route reloading on ({@code camel.main.routes-reload-enabled}), an
 * edit of {@code routes/*.camel.yaml} that Camel could not load is DOWN here, with the file and the line, until a
 * later edit loads. The routes of that file keep running as they were, so this check is neither a readiness nor a
 * liveness one: taking the instance out of service would not help, fixing the file does.
 */
public class RoutesReloadHealthCheck extends AbstractHealthCheck {

    private static final Pattern FILE = Pattern.compile("(file:[^\\s,;]+\\.ya?ml)");
    private static final Pattern LINE = Pattern.compile("line (\\d+), column (\\d+)");

    public RoutesReloadHealthCheck() {
        super("ivrflow", "routes-reload");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ResourceReloadStrategy reload = getCamelContext().hasService(ResourceReloadStrategy.class);
        if (reload == null) {
            builder.detail("reload.enabled", false);
            builder.up();
            return;
        }
        builder.detail("reload.enabled", true);
        if (reload instanceof ResourceReloadStrategySupport counted) {
            builder.detail("reload.succeeded", counted.getReloadCounter());
            builder.detail("reload.failed", counted.getFailedCounter());
        }
        Exception error = reload.getLastError();
        if (error == null) {
            builder.up();
            return;
        }
        String where = where(error);
        builder.detail("reload.error", where);
        builder.down().message("the last edit of the routes did not load (" + where + "); the routes run as before");
    }

    /** The file and line of a reload failure, and what Camel said, in one line. */
    public static String where(Throwable error) {
        String file = null;
        String line = null;
        String first = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (first == null && !m.isBlank()) {
                first = m.lines().findFirst().orElse(m);
            }
            Matcher f = FILE.matcher(m);
            if (file == null && f.find()) {
                file = f.group(1).substring("file:".length());
            }
            Matcher l = LINE.matcher(m);
            if (line == null && l.find()) {
                line = l.group(1) + ":" + l.group(2);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return (file == null ? "routes" : file) + (line == null ? "" : ":" + line) + ": " + first;
    }
}
