package io.ivrflow;

import io.ivrflow.cli.Cli;
import io.ivrflow.config.InvalidSettings;
import org.apache.camel.main.Main;

import java.util.Optional;

/**
 * Entry point of the runnable jar. {@code lint}, {@code simulate}, {@code scenarios} and {@code prompts} run the
 * command line tools; no argument, or Camel Main's own options ({@code -duration 10}), start the service; any other
 * word or option prints ivrflow's usage and exits 2. Settings the service cannot start with stop it with one line per
 * wrong property and exit code 2.
 */
public final class IvrflowApplication {

    private IvrflowApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && Cli.isCommand(args[0])) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        Optional<String> problem = Cli.serviceArgumentsProblem(args);
        if (problem.isPresent()) {
            System.exit(Cli.badServiceArguments(problem.get(), System.err));
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
