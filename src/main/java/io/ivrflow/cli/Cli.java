package io.ivrflow.cli;

import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.flow.PlatformInventory;
import io.ivrflow.ops.UserInput;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command line tools: {@code lint}, {@code simulate}, {@code scenarios}, {@code prompts}. Exit codes: 0 fine, 1 problems found
 * (lint errors, failed scenarios), 2 bad usage.
 */
public final class Cli {

    private static final Set<String> COMMANDS = Set.of("lint", "simulate", "scenarios", "prompts", "help", "--help", "-h", "-help");

    private Cli() {
    }

    public static boolean isCommand(String word) {
        return COMMANDS.contains(word);
    }

    /** Camel Main's options the service takes, with whether each is followed by a value. */
    private static final Map<String, Boolean> SERVICE_OPTIONS = Map.ofEntries(
            Map.entry("-d", true), Map.entry("-duration", true), Map.entry("-dm", true),
            Map.entry("-durationMaxMessages", true), Map.entry("-di", true), Map.entry("-durationIdle", true),
            Map.entry("-e", true), Map.entry("-exitcode", true), Map.entry("-pl", true),
            Map.entry("-propertiesLocation", true), Map.entry("-pro", true), Map.entry("-profile", true),
            Map.entry("-t", false), Map.entry("-trace", false), Map.entry("-ts", false),
            Map.entry("-traceStandby", false));

    /**
     * What is wrong with the arguments of a service start, if anything: a word that is no command (a mistyped
     * {@code provison}), or an option Camel Main does not take or takes with a value that is missing. Camel Main
     * itself would print its own help for these and exit 0, which a script cannot tell from a clean stop.
     */
    public static Optional<String> serviceArgumentsProblem(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                return Optional.of(i == 0 ? "unknown command '" + UserInput.shown(arg) + "'"
                        : "unexpected argument '" + UserInput.shown(arg) + "'");
            }
            Boolean takesValue = SERVICE_OPTIONS.get(arg);
            if (takesValue == null) {
                return Optional.of("unknown option '" + UserInput.shown(arg) + "'");
            }
            if (takesValue && ++i >= args.length) {
                return Optional.of("option " + arg + " needs a value");
            }
        }
        return Optional.empty();
    }

    /** Arguments the service cannot start with: the problem and ivrflow's usage on stderr, exit status 2. */
    public static int badServiceArguments(String problem, PrintStream err) {
        err.println("ivrflow: " + problem);
        usage(err);
        return 2;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** @param environment where the tools read accounts from (the Wazo service account for {@code --inventory}) */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        try {
            return switch (args[0]) {
                case "lint" -> lint(rest, out, environment);
                case "simulate" -> SimulateCommand.run(rest, out, err);
                case "scenarios" -> ScenariosCommand.run(rest, out, err);
                case "prompts" -> PromptsCommand.run(rest, out, err);
                default -> usage(out);
            };
        } catch (UsageException e) {
            err.println("ivrflow: " + e.getMessage());
            usage(err);
            return 2;
        } catch (IOException e) {
            err.println("ivrflow: " + e.getMessage());
            return 2;
        }
    }

    /** A command line that does not make sense. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static int usage(PrintStream out) {
        out.println("""
                usage:
                  java -jar target/ivrflow.jar                       start the service; options: -duration SECONDS, -durationIdle SECONDS,
                        -durationMaxMessages N, -exitcode N, -propertiesLocation FILES, -profile NAME, -trace
                  java -jar target/ivrflow.jar lint [--strict] [--inventory FILE|URL]... PATH...
                        check flow files or folders; exit 1 on errors (--strict: on warnings too)
                        --inventory: the queues, extensions, mailboxes and agents the platform has, from a JSON
                        file ({"queues": [...], "extensions": [...], "mailboxes": [...], "agents": [...]}) or
                        Wazo's confd at URL (service account from WAZO_USERNAME, WAZO_PASSWORD, WAZO_AUTH_URL,
                        WAZO_TENANT); a name the platform lacks is an error
                  java -jar target/ivrflow.jar simulate FLOW [options] [STEP...]
                        call a flow offline. STEP: 1 / 12# (press keys), wait:5s, hangup
                        options: --lang CODE, --caller NUMBER, --called NUMBER, --at 2026-12-24T10:00:00Z,
                                 --start NODE, --lookup NODE=found|notFound|failure[:field=value,...],
                                 --agents QUEUE=N, --transfer DEST=busy|noAnswer|failed, --recording fails
                  java -jar target/ivrflow.jar scenarios [--min-coverage 100] PATH...
                        run scenario files (*.scenarios.json, or the ones of a flows folder) and report coverage
                  java -jar target/ivrflow.jar prompts [options] PATH...
                        make every prompt of the flows into the cache (exit 1 on flow errors, such as a missing
                        language or words over Polly's limits, or on a prompt that could not be made)
                        options: --cache DIR (prompt-cache), --backends polly,local (local), --wazo (8 kHz WAV too),
                                 --plivo-audio mp3:22050, --polly-endpoint URL, --threads N
                """);
        return 0;
    }

    static int lint(List<String> args, PrintStream out, Map<String, String> environment)
            throws UsageException, IOException {
        boolean strict = args.remove("--strict");
        List<String> inventories = new ArrayList<>();
        for (int i = args.indexOf("--inventory"); i >= 0; i = args.indexOf("--inventory")) {
            args.remove(i);
            if (i >= args.size() || args.get(i).startsWith("--")) {
                throw new UsageException("--inventory needs a JSON file or a confd URL");
            }
            inventories.add(args.remove(i));
        }
        for (String a : args) {
            if (a.startsWith("--")) {
                throw new UsageException("unknown option " + a);
            }
        }
        if (args.isEmpty()) {
            throw new UsageException("lint needs at least one file or folder");
        }
        PlatformInventory inventory = null;
        for (String source : inventories) {
            PlatformInventory one = Inventories.read(source, environment);
            inventory = inventory == null ? one : inventory.and(one);
        }
        if (inventory != null && !inventory.unchecked().isEmpty()) {
            out.println("inventory " + inventory.source() + " lists no " + String.join(", ", inventory.unchecked())
                    + ": those are not checked");
        }
        FlowLoader loader = new FlowLoader();
        long errors = 0;
        long warnings = 0;
        int files = 0;
        for (String a : args) {
            Path path = Path.of(a);
            if (!Files.exists(path)) {
                throw new UsageException("no such file or folder: " + a);
            }
            FlowFiles.Report report = FlowFiles.load(loader, path);
            for (FlowLoader.Loaded loaded : report.files()) {
                List<Diagnostic> diagnostics = (inventory == null ? loaded : inventory.check(loaded)).diagnostics();
                files++;
                for (Diagnostic d : diagnostics) {
                    out.println(d.format());
                    if (d.isError()) {
                        errors++;
                    } else {
                        warnings++;
                    }
                }
            }
        }
        out.println(files + " flow file(s) checked: " + errors + " error(s), " + warnings + " warning(s)");
        return errors > 0 || (strict && warnings > 0) ? 1 : 0;
    }
}
