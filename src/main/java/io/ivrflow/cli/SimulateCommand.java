package io.ivrflow.cli;

import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.sim.Durations;
import io.ivrflow.sim.Heard;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.SimulatedCall;
import io.ivrflow.sim.World;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code simulate FLOW [options] [STEP...]}: one call on the virtual clock, printed as the caller lives it.
 * Steps: keys ({@code 1}, {@code 1234#}, {@code !2} to press during a prompt), {@code wait:5s}, {@code hangup}.
 */
final class SimulateCommand {

    private SimulateCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Cli.UsageException, IOException {
        if (args.isEmpty()) {
            throw new Cli.UsageException("simulate needs a flow file");
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            throw new Cli.UsageException("no such flow file: " + file);
        }
        String lang = null;
        String caller = "+15550100000";
        String called = "+15550199999";
        String start = null;
        Instant at = Instant.now();
        Map<String, List<World.LookupAnswer>> lookups = new LinkedHashMap<>();
        Map<String, Integer> agents = new LinkedHashMap<>();
        Map<String, Event.FailureReason> transfers = new LinkedHashMap<>();
        boolean recordingFails = false;
        List<String> steps = new ArrayList<>();
        Iterator<String> it = args.subList(1, args.size()).iterator();
        try {
            while (it.hasNext()) {
                String a = it.next();
                switch (a) {
                    case "--lang" -> lang = value(it, a);
                    case "--caller" -> caller = value(it, a);
                    case "--called" -> called = value(it, a);
                    case "--start" -> start = value(it, a);
                    case "--at" -> at = Instant.parse(value(it, a));
                    case "--lookup" -> lookup(value(it, a), lookups);
                    case "--agents" -> {
                        String[] kv = pair(value(it, a), a);
                        agents.put(kv[0], Integer.parseInt(kv[1]));
                    }
                    case "--transfer" -> {
                        String[] kv = pair(value(it, a), a);
                        transfers.put(kv[0], ScenarioFiles.failure(kv[1]));
                    }
                    case "--recording" -> recordingFails = "fails".equals(value(it, a));
                    default -> {
                        if (a.startsWith("--")) {
                            throw new Cli.UsageException("unknown option " + a);
                        }
                        steps.add(a);
                    }
                }
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }

        FlowFiles.Report report = FlowFiles.load(new FlowLoader(), file);
        report.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> err.println(d.format()));
        Flow flow = report.files().get(0).flow();
        if (flow == null || report.files().get(0).hasErrors()) {
            err.println("ivrflow: " + file + " has errors; run 'lint' for details");
            return 1;
        }
        World world = new World(lookups, agents, Map.of(), transfers, recordingFails);
        SimulatedCall call = SimulatedCall.start(new Engine(report.catalog()), report.catalog(), world, flow.id(),
                start, new Event.CallStarted("sim-cli", caller, called, "sim", lang, Map.of()), at);
        for (String step : steps) {
            if (step.equals("hangup")) {
                call.hangUp();
            } else if (step.startsWith("wait:")) {
                call.waitFor(Durations.parse(step.substring(5)));
            } else if (step.matches("!?[0-9*#]+")) {
                boolean interrupt = step.startsWith("!");
                call.press(interrupt ? step.substring(1) : step, interrupt, null);
            } else {
                throw new Cli.UsageException("unknown step " + step + " (keys like 12#, !1 during a prompt,"
                        + " wait:5s, hangup)");
            }
        }
        call.finish();
        call.timeline().forEach(out::println);
        out.println();
        out.println("heard:");
        for (Heard h : call.heard()) {
            out.println("  [" + h.language() + "] " + h.text() + (h.interrupted() ? "  (interrupted)" : ""));
        }
        out.println("trace:   " + String.join(" > ", call.nodes()));
        out.println("outcome: " + (call.outcome() == null ? "none" : call.outcome().label())
                + (call.stuck() ? " (STUCK)" : "") + " after " + call.elapsed().toSeconds() + " s of call time");
        return call.stuck() ? 1 : 0;
    }

    private static void lookup(String spec, Map<String, List<World.LookupAnswer>> lookups) throws Cli.UsageException {
        // NODE=found:vip=true,name=Ada  |  NODE=failure  |  NODE=found@5s (latency)
        String[] kv = pair(spec, "--lookup");
        String rest = kv[1];
        String fields = "";
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            fields = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String latency = null;
        int atSign = rest.indexOf('@');
        if (atSign >= 0) {
            latency = rest.substring(atSign + 1);
            rest = rest.substring(0, atSign);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String f : fields.split(",")) {
            if (!f.isBlank()) {
                String[] fv = pair(f, "--lookup field");
                values.put(fv[0], fv[1]);
            }
        }
        lookups.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(new World.LookupAnswer(
                ScenarioFiles.lookupStatus(rest), values, latency == null ? null : Durations.parse(latency)));
    }

    private static String value(Iterator<String> it, String option) throws Cli.UsageException {
        if (!it.hasNext()) {
            throw new Cli.UsageException(option + " needs a value");
        }
        return it.next();
    }

    private static String[] pair(String s, String option) throws Cli.UsageException {
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new Cli.UsageException(option + " takes NAME=VALUE, not " + s);
        }
        return new String[] {s.substring(0, eq), s.substring(eq + 1)};
    }
}
