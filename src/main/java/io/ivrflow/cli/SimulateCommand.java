package io.ivrflow.cli;

import java.io.PrintStream;
import java.util.List;

final class SimulateCommand {
    private SimulateCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        err.println("not yet available");
        return 2;
    }
}
