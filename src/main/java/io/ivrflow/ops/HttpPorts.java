package io.ivrflow.ops;


import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The platform-http engine of the service: it puts each endpoint on the port its path belongs to, so no route has
 * to say it. Paths under {@link #MANAGEMENT} (the flows API, the console) are served on the management port
 * ({@code camel.management.port}, internal, next to health and metrics); everything else on the business port,
 * the one Plivo reaches.
 *
 * <p>Bodies: endpoints with {@code populateBodyWithForm=false} (every Rest DSL endpoint, see application.properties)
 * get the request body as the client sent it, even with a form Content-Type, where Vert.x would otherwise keep it
 * only as parsed form fields; the JSON APIs and the Plivo signature check read the bytes themselves.
 */
public final class HttpPorts extends VertxPlatformHttpEngine {

    private static final String CONTENT_TYPE = "Content-Type";
    private static final String FORM = "application/x-www-form-urlencoded";
    /**
     * The largest body Vert.x reads into memory, on either port (camel.server.max-body-size); the endpoints refuse
     * more than {@link Requests#MAX} with their own 413 below it.
     */
    public static final long BODY_LIMIT = 4L * Requests.MAX;

    /** Path prefixes served on the management port. */
    public static final List<String> MANAGEMENT = List.of("/manage", "/console");

    private final int managementPort;
    /** What each port serves, to tell a wrong method (405) from a path nothing serves (404). */
    private final Map<String, List<Served>> served = new ConcurrentHashMap<>();

    private record Served(Pattern path, String methods) {
        static Served of(PlatformHttpEndpoint endpoint) {
            String regex = Pattern.quote(endpoint.getPath()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            return new Served(Pattern.compile(regex + (endpoint.isMatchOnUriPrefix() ? "(/.*)?" : "/?")),
                    endpoint.getHttpMethodRestrict() == null ? "" : endpoint.getHttpMethodRestrict());
        }
    }

    public HttpPorts(int managementPort) {
        this.managementPort = managementPort;
    }

    public static boolean management(String path) {
        return MANAGEMENT.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        int port = management(endpoint.getPath()) ? managementPort : getServerPort();
        String router = VertxPlatformHttpRouter.getRouterNameFromPort(port);
        served.computeIfAbsent(router, name -> {
            List<Served> list = new CopyOnWriteArrayList<>();
            prepare(VertxPlatformHttpRouter.lookup(endpoint.getCamelContext(), name), list);
            return list;
        }).add(Served.of(endpoint));
        return new RawBodyConsumer(endpoint, processor, getHandlers(), router);
    }

    /**
     * Once per port: a form or multipart Content-Type is taken for an opaque body (Vert.x would otherwise decode
     * it as form fields, refuse a JSON body sent that way as too long a field, and fail with a 500 on a multipart
     * GET; no endpoint takes multipart), and a path or method nothing serves gets the JSON error every endpoint
     * answers with.
     */
    private static void prepare(VertxPlatformHttpRouter router, List<Served> served) {
        if (router == null) {
            return;
        }
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String type = ctx.request().getHeader(CONTENT_TYPE);
            String lower = type == null ? "" : type.toLowerCase(Locale.ROOT).trim();
            if (lower.startsWith(FORM) || lower.startsWith("multipart/")) {
                ctx.request().headers().set(CONTENT_TYPE, "application/octet-stream");
            }
            ctx.next();
        });
        // a body past camel.server.max-body-size is cut short by Vert.x's body handler: said in the same shape
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                error(ctx, 413, "the body is larger than " + BODY_LIMIT + " bytes");
            } else {
                ctx.next();
            }
        });
        // last of all: nothing took the request
        router.route().order(Integer.MAX_VALUE).handler(ctx -> {
            String path = ctx.normalizedPath();
            String allowed = served.stream().filter(s -> s.path().matcher(path).matches()).map(Served::methods)
                    .filter(m -> !m.isEmpty()).distinct().collect(Collectors.joining(","));
            if (allowed.isEmpty() || List.of(allowed.split(",")).contains(ctx.request().method().name())) {
                error(ctx, 404, "no such resource: " + UserInput.shown(path));
            } else {
                ctx.response().putHeader("Allow", allowed);
                error(ctx, 405, ctx.request().method() + " is not allowed on " + UserInput.shown(path) + "; use "
                        + allowed);
            }
        });
    }

    private static void error(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(CONTENT_TYPE, HttpReply.JSON)
                .putHeader("X-Content-Type-Options", "nosniff").end(new ApiError(status, message).json());
    }

    private static final class RawBodyConsumer extends VertxPlatformHttpConsumer {

        RawBodyConsumer(PlatformHttpEndpoint endpoint, Processor processor,
                        List<io.vertx.core.Handler<RoutingContext>> handlers, String routerName) {
            super(endpoint, processor, handlers, routerName);
        }

        @Override
        protected Future<Void> populateCamelMessage(RoutingContext ctx, Exchange exchange, Message message) {
            return super.populateCamelMessage(ctx, exchange, message).map(done -> {
                // a form post: Vert.x parsed it and Camel left the body empty; these endpoints want the bytes
                if (message.getBody() == null && !getEndpoint().isPopulateBodyWithForm() && ctx.body() != null
                        && ctx.body().buffer() != null) {
                    message.setBody(ctx.body().buffer().getBytes());
                }
                return done;
            });
        }
    }
}
