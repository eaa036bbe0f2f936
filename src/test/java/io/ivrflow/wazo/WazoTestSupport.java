package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ivrflow.ServiceTestSupport;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.wazo.fake.FakeWazo;

import java.util.Properties;
import java.util.function.Supplier;

/**
 * The service with its real routes, consuming the real RabbitMQ on localhost and talking to a {@link FakeWazo}.
 * Subclasses give the fake (started before the service, so its URLs can be configured) and extra properties.
 */
abstract class WazoTestSupport extends ServiceTestSupport {

    /** The calld application of the main route (routes/wazo-applications.camel.yaml). */
    static final String APP = "5f6a1b2c-3d4e-4f50-8a61-7b8c9d0e1f20";

    abstract FakeWazo wazo();

    void moreProperties(Properties p) {
    }

    @Override
    protected void properties(Properties p) {
        wazoProperties(p, wazo());
        moreProperties(p);
    }

    /** The Wazo adapter on, for application {@link #APP} running contact-centre, every service at the fake. */
    static void wazoProperties(Properties p, FakeWazo wazo) {
        p.put("ivr.wazo.enabled", "true");
        p.put("ivr.wazo.application-uuid", APP);
        p.put("ivr.wazo.flow", "contact-centre");
        p.put("ivr.wazo.username", FakeWazo.USERNAME);
        p.put("ivr.wazo.password", FakeWazo.PASSWORD);
        for (String service : new String[] {"calld", "confd", "agentd", "dird", "auth"}) {
            p.put("ivr.wazo." + service + "-url", wazo.url(service));
        }
    }

    /**
     * Each test's service starts on an empty queue. Messages a previous test's service had taken but not acknowledged
     * go back to the durable queue when it stops; purging once the new consumer is up would be too late, as the
     * broker hands them to it at once.
     */
    @Override
    protected void doPreSetup() throws Exception {
        purge(APP);
        super.doPreSetup();
    }

    /** A fake Wazo on real time (for a test class's static field). */
    static FakeWazo realTimeFake() {
        try {
            return FakeWazo.startRealTime("fake-wazo-timers");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** agentd as the tests' calls expect it: agent 5001 logged in, free, in the sales and support queues. */
    static Supplier<ArrayNode> oneAgentInSalesAndSupport() {
        return () -> {
            ArrayNode all = new ObjectMapper().createArrayNode();
            all.add(FakeWazo.agent("5001", true, false, "sales", "support"));
            return all;
        };
    }

    WazoEvents events() {
        return context.getRegistry().lookupByNameAndType("wazoEvents", WazoEvents.class);
    }

    CallJournal journal() {
        return context.getRegistry().lookupByNameAndType("callJournal", CallJournal.class);
    }

    /** Empties an application's queue, so messages left by an earlier, interrupted run do not come in. */
    static void purge(String... applications) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        try (Connection c = f.newConnection()) {
            for (String app : applications) {
                Channel ch = c.createChannel();
                try {
                    ch.queuePurge("ivrflow.wazo." + app);
                    ch.close();
                } catch (java.io.IOException e) {
                    // no such queue yet (the failed purge closed the channel)
                }
            }
        }
    }
}
