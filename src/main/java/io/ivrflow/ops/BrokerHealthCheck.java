package io.ivrflow.ops;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import java.util.Map;

/**
 * Health check {@code ivrflow/broker}: the RabbitMQ connection the Wazo adapter reads calld's events from. DOWN
 * when the broker cannot be reached (calls on Wazo would get no answer); UP, with a detail saying so, when the
 * Wazo adapter is off and the broker is not used. A readiness check: restarting ivrflow does not bring a
 * broker back, and the consumer reconnects by itself.
 */
public class BrokerHealthCheck extends AbstractHealthCheck {

    private final ConnectionFactory connectionFactory;
    private final boolean used;

    /** @param used false when nothing in this service reads the broker (the Wazo adapter is off) */
    public BrokerHealthCheck(ConnectionFactory connectionFactory, boolean used) {
        super("ivrflow", "broker");
        this.connectionFactory = connectionFactory;
        this.used = used;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!used) {
            builder.detail("broker.used", false);
            builder.up();
            return;
        }
        builder.detail("broker.used", true);
        builder.detail("broker.host", connectionFactory.getHost());
        builder.detail("broker.port", connectionFactory.getPort());
        builder.detail("broker.virtualHost", connectionFactory.getVirtualHost());
        try {
            // the caching factory hands out its one shared connection: this opens nothing new while it is up
            Connection connection = connectionFactory.createConnection();
            if (connection.isOpen()) {
                builder.up();
            } else {
                builder.down().message("the RabbitMQ connection is closed");
            }
        } catch (RuntimeException e) {
            builder.down().message("RabbitMQ cannot be reached: " + e.getClass().getSimpleName());
            builder.error(e);
        }
    }
}
