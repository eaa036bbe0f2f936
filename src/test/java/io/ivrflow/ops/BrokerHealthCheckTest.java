package io.ivrflow.ops;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker check against the real RabbitMQ on localhost:5672, and against a port where nothing listens. */
class BrokerHealthCheckTest {

    private static HealthCheck.Result call(int port, boolean used) throws Exception {
        CachingConnectionFactory factory = new CachingConnectionFactory("localhost", port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(2000);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            BrokerHealthCheck check = new BrokerHealthCheck(factory, used);
            check.setCamelContext(context);
            assertTrue(check.isReadiness());
            assertFalse(check.isLiveness());
            return check.call();
        } finally {
            factory.destroy();
        }
    }

    @Test
    void upWhenTheBrokerAnswers() throws Exception {
        HealthCheck.Result r = call(5672, true);
        assertEquals(HealthCheck.State.UP, r.getState(), r.getMessage().orElse(""));
        assertEquals(5672, r.getDetails().get("broker.port"));
    }

    @Test
    void downWithAReasonWhenItCannotBeReached() throws Exception {
        HealthCheck.Result r = call(AvailablePortFinder.getNextAvailable(), true);
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertTrue(r.getMessage().orElse("").contains("RabbitMQ cannot be reached"), r.getMessage().toString());
    }

    @Test
    void upAndSaysSoWhenNothingUsesTheBroker() throws Exception {
        HealthCheck.Result r = call(AvailablePortFinder.getNextAvailable(), false);
        assertEquals(HealthCheck.State.UP, r.getState());
        assertEquals(false, r.getDetails().get("broker.used"));
    }
}
