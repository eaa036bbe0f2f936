package io.ivrflow.wazo;

import com.rabbitmq.client.Channel;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ChannelProxy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The bus side of the Wazo adapter (routes/wazo-events.camel.yaml): each message becomes a {@link BusEvent} handed
 * to {@link WazoCalls} on its call's lane, and is acknowledged once handled (the route consumes with
 * {@code acknowledgeMode=MANUAL}). The returned future completes then, so the exchange stays in flight until the
 * message is settled: a graceful shutdown waits for it. A message that is not a usable application event is logged
 * and rejected without requeue, so the broker dead-letters it; the consumer carries on.
 *
 * <p>Once the service is stopping ({@link #drain()}) new messages are left unacknowledged: the broker gives them
 * back to the queue when the consumer closes, for the next instance or the restarted one.
 */
public class WazoEvents {

    private static final Logger LOG = LoggerFactory.getLogger(WazoEvents.class);
    /** Where spring-rabbitmq puts the consumer's channel and the message's delivery tag. */
    public static final String CHANNEL = "CamelSpringRabbitmqChannel";
    public static final String DELIVERY_TAG = "CamelSpringRabbitmqDeliveryTag";
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final WazoCalls calls;
    private final CallLanes lanes;
    private final WazoHttp http;
    private volatile boolean draining;

    public WazoEvents(WazoCalls calls, CallLanes lanes, WazoHttp http) {
        this.calls = calls;
        this.lanes = lanes;
        this.http = http;
    }

    /** One message of the bus; the future completes when it is settled. */
    public CompletionStage<Void> handle(@Body byte[] body, @Headers Map<String, Object> headers,
                                        @ExchangeProperty(CHANNEL) Channel consumerChannel,
                                        @Header(DELIVERY_TAG) Long tag,
                                        @ExchangeProperty("wazoApplication") String application,
                                        @ExchangeProperty("wazoFlow") String flowId) {
        if (draining) {
            return DONE;
        }
        Channel channel = physical(consumerChannel);
        BusEvent event;
        try {
            event = BusEvent.parse(body, headers);
            if (application != null && !application.equals(event.applicationUuid())) {
                throw new BusEvent.Garbled("event of application " + event.applicationUuid()
                        + " on the queue of application " + application);
            }
        } catch (BusEvent.Garbled e) {
            LOG.warn("dead-lettered a bus message: {}", e.getMessage());
            settle(channel, tag, false);
            return DONE;
        }
        if (!event.handled()) {
            LOG.debug("{} for application {}: not used, acknowledged", event.name(), event.applicationUuid());
            settle(channel, tag, true);
            return DONE;
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        calls.dispatch(event, flowId, ok -> {
            settle(channel, tag, ok);
            settled.complete(null);
        });
        return settled;
    }

    /** The service is stopping: events that come from now on are left to the broker. */
    public void drain() {
        if (!draining) {
            draining = true;
            LOG.info("Wazo adapter: stopping; events still queued go back to the broker");
        }
    }

    /** Drops calls whose deletion event never came (routes/wazo-call-expiry.camel.yaml). */
    public int expire(long maxIdleMinutes) {
        return calls.expire(Duration.ofMinutes(maxIdleMinutes));
    }

    public WazoCalls calls() {
        return calls;
    }

    /** Tasks queued on the call lanes (tests wait for none). */
    public int lanesPending() {
        return lanes.pending();
    }

    /** Requests to Wazo not yet answered (tests wait for none but those the fake holds on purpose). */
    public int requestsInFlight() {
        return http.inFlight();
    }

    /**
     * The physical channel, not Spring's proxy: after a reconnect the proxy points at a new channel, where this
     * message's delivery tag means nothing (acking it there would make the broker close that channel).
     */
    private static Channel physical(Channel channel) {
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }

    /** Acknowledges, or rejects without requeue (the queue's dead-letter exchange takes it). */
    private static void settle(Channel channel, Long tag, boolean ok) {
        if (channel == null || tag == null) {
            return;
        }
        try {
            if (ok) {
                channel.basicAck(tag, false);
            } else {
                channel.basicReject(tag, false);
            }
        } catch (IOException | RuntimeException e) {
            // the connection dropped meanwhile: the broker redelivers the message to the next consumer
            LOG.debug("could not settle message {}: {}", tag, e.getMessage());
        }
    }
}
