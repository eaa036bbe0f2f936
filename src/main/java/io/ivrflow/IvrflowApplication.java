package io.ivrflow;

import io.ivrflow.cli.Cli;
import org.apache.camel.main.Main;

/**
 * Entry point of the runnable jar. {@code lint}, {@code simulate} and {@code scenarios} run the command line
 * tools; anything else (including no argument) starts the service with Camel Main, which takes its own
 * single-dash options such as {@code -duration 10}.
 */
public final class IvrflowApplication {

    private IvrflowApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && Cli.isCommand(args[0])) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        new Main(IvrflowApplication.class).run(args);
    }
}
