package io.ivrflow.ops;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

import java.util.Locale;
import java.util.Set;

/**
 * The one header filter of every HTTP endpoint (set on the platform-http component by the composition root). In:
 * only the request headers some endpoint reads enter the message; query parameters and form fields do not become
 * headers (endpoints read the raw query and body). Out: only the response headers endpoints set on purpose go
 * back. So nothing a client sent (a token, a caller's number, a signature) is ever echoed in a response.
 */
public final class HttpHeaderPolicy implements HeaderFilterStrategy {

    static final Set<String> REQUEST = Set.of("authorization", "content-type", "if-match", "if-none-match",
            "x-plivo-signature-v3", "x-plivo-signature-ma-v3", "x-plivo-signature-v3-nonce", "idempotency-key");
    static final Set<String> RESPONSE = Set.of("content-type", "cache-control", "etag", "www-authenticate", "allow",
            "location", "content-security-policy", "x-content-type-options", "retry-after", "idempotent-replayed");

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !RESPONSE.contains(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !REQUEST.contains(name.toLowerCase(Locale.ROOT));
    }
}
