package io.ivrflow.plivo;

import io.ivrflow.ServiceTestSupport;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Properties;

/** The service with the Plivo settings a subclass gives, and requests to its business port. */
abstract class CallsRouteTestSupport extends ServiceTestSupport {

    /** Plivo and API token settings of this test class. */
    abstract void plivoProperties(Properties p);

    @Override
    protected void properties(Properties p) {
        plivoProperties(p);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return postJson(httpPort, path, body, headers);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return get(httpPort, path, headers);
    }
}
