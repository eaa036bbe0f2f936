package io.ivrflow.flowstore;

import io.ivrflow.config.Settings;
import io.ivrflow.ops.BearerToken;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where flows come from and what is kept of them ({@code ivr.flows.*}, {@code ivr.manage.token}).
 *
 * @param historyDirectory where every version seen is kept; null: in memory only
 * @param historyVersions  contents kept per flow (the newest ones, and always the one last activated)
 * @param fullReload       the folder is re-read at least this often, even when nothing seems changed
 * @param watchPeriod      how often the folder is looked at (routes/flows-reload.camel.yaml)
 * @param manageToken      the flows API's token; not configured: the API is off
 */
public record FlowStoreSettings(Path directory, Path historyDirectory, int historyVersions, Duration fullReload,
                                Duration watchPeriod, boolean reloadEnabled, BearerToken manageToken) {

    public static FlowStoreSettings read(Settings s) {
        String history = s.text("ivr.flows.history-directory", "flow-history");
        return new FlowStoreSettings(Path.of(s.text("ivr.flows.directory", "flows")),
                history.isBlank() ? null : Path.of(history),
                s.number("ivr.flows.history-versions", 100, 1, 100_000),
                s.millis("ivr.flows.reload-period", 30_000, 100, 86_400_000),
                s.millis("ivr.flows.watch-period", 1_000, 100, 3_600_000),
                s.flag("ivr.flows.reload-enabled", true),
                BearerToken.of(s.secret("ivr.manage.token")));
    }

    /** A folder of flows with the history in memory and no API token (tools and tests). */
    public static FlowStoreSettings of(Path directory) {
        return new FlowStoreSettings(directory, null, 100, Duration.ofSeconds(30), Duration.ofSeconds(1), true,
                BearerToken.of(null));
    }

    public FlowStoreSettings withHistory(Path historyDirectory, int historyVersions) {
        return new FlowStoreSettings(directory, historyDirectory, historyVersions, fullReload, watchPeriod,
                reloadEnabled, manageToken);
    }
}
