package io.ivrflow;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

import java.util.Properties;
import java.util.UUID;

/**
 * The service started by Camel Main as {@link ServiceTestSupport} starts it, for tests that do not run on JUnit
 * Jupiter's lifecycle (jqwik properties): started once by the test class, closed by it, with all its threads.
 */
public final class RunningService implements AutoCloseable {

    public final int httpPort = AvailablePortFinder.getNextAvailable();
    public final int managementPort = AvailablePortFinder.getNextAvailable();
    public final String contextName;
    private final Main main = new Main();

    private RunningService(String name) {
        this.contextName = "ivrflow-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @param more properties on top of the tests' defaults */
    public static RunningService start(String name, Properties more, Collaborators collaborators) throws Exception {
        RunningService s = new RunningService(name);
        Properties p = new Properties();
        ServiceTestSupport.defaults(p, s.contextName, s.httpPort, s.managementPort);
        p.putAll(more);
        s.main.setOverrideProperties(p);
        s.main.configure().addConfiguration(new ServiceTestSupport.GivenCollaborators(collaborators));
        s.main.start();
        return s;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        T bean = context().getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("no bean " + name);
        }
        return bean;
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
