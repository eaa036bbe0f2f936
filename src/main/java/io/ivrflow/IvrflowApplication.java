package io.ivrflow;

import io.ivrflow.cli.Cli;
import io.ivrflow.config.InvalidSettings;
import org.apache.camel.main.Main;

/**
 * Entry point of the runnable jar. {@code lint}, {@code simulate}, {@code scenarios} and {@code prompts} run the
 * command line tools; anything else (including no argument) starts the service with Camel Main, which takes its own
 * single-dash options such as {@code -duration 10}. Settings the service cannot start with stop it with one line per
 * wrong property and exit code 2.
 */
public final class IvrflowApplication {

    private IvrflowApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && Cli.isCommand(args[0])) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        try {
            new Main().run(args);
        } catch (Exception e) {
            InvalidSettings invalid = invalidSettings(e);
            if (invalid == null) {
                throw e;
            }
            for (InvalidSettings.Problem p : invalid.problems()) {
                System.err.println("ivrflow: invalid setting " + p.line());
            }
            System.exit(2);
        }
    }

    /** The settings problem behind a startup failure, however deep Camel wrapped it. */
    static InvalidSettings invalidSettings(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidSettings s) {
                return s;
            }
        }
        return null;
    }
}
