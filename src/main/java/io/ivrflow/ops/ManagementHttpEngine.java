package io.ivrflow.ops;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * A platform-http engine whose consumers listen on the management server ({@code camel.management.port}) instead
 * of the business one. Routes opt in with {@code platform-http:/path?platformHttpEngine=#managementHttpEngine}.
 *
 * <p>Why: the flows API, the web console and the metrics are for operators and belong on the internal port,
 * while the business port faces Plivo. Camel Main starts the management server with its own Vert.x router,
 * registered under a name derived from its port; the stock engine picks the router of the business port, and
 * this one only tells it the other port.
 */
public class ManagementHttpEngine extends VertxPlatformHttpEngine {

    private int port;

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
