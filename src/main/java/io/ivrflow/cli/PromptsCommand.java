package io.ivrflow.cli;

import io.ivrflow.config.Settings;
import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.PollySpeech;
import io.ivrflow.prompts.Pregeneration;
import io.ivrflow.prompts.PromptSettings;
import io.ivrflow.prompts.Prompts;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code prompts [options] PATH...}: makes every prompt of the flows into the cache, as the service does at
 * startup, printing each one as it is done. Refuses flows with errors, among them a declared language without
 * a prompt and words over Polly's limits; exit 1 then, or when a prompt could not be made.
 */
final class PromptsCommand {


    /** Options, and the settings they stand for (a problem with one is reported by the option's name). */
    private static final Map<String, String> OPTIONS = Map.of("--cache", "ivr.prompts.cache-directory",
            "--backends", "ivr.prompts.backends", "--plivo-audio", "ivr.prompts.plivo-audio",
            "--polly-endpoint", "ivr.prompts.polly.endpoint", "--threads", "ivr.prompts.threads");

    private PromptsCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Cli.UsageException, IOException {
        // the service's defaults, with Polly's credentials and region from the same environment variables
        Map<String, String> properties = new HashMap<>();
        env(properties, "ivr.prompts.polly.access-key", "IVR_POLLY_ACCESS_KEY");
        env(properties, "ivr.prompts.polly.secret-key", "IVR_POLLY_SECRET_KEY");
        env(properties, "ivr.prompts.polly.region", "AWS_REGION");
        properties.put("ivr.prompts.cache-directory", System.getProperty("ivr.prompts.cache-directory", "prompt-cache"));
        List<Path> paths = new ArrayList<>();
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String a = it.next();
            if (a.equals("--wazo")) {
                properties.put("ivr.wazo.enabled", "true");
            } else if (OPTIONS.containsKey(a)) {
                properties.put(OPTIONS.get(a), value(it, a));
            } else if (a.startsWith("--")) {
                throw new Cli.UsageException("unknown option " + a);
            } else {
                paths.add(Path.of(a));
            }
        }
        if (paths.isEmpty()) {
            throw new Cli.UsageException("prompts needs at least one flow file or folder");
        }
        Settings read = Settings.of(properties);
        PromptSettings settings = PromptSettings.read(read);
        if (!read.problems().isEmpty()) {
            String problem = read.problems().get(0).line();
            for (Map.Entry<String, String> option : OPTIONS.entrySet()) {
                problem = problem.replace(option.getValue(), option.getKey());
            }
            throw new Cli.UsageException(problem);
        }
        List<Flow> flows = new ArrayList<>();
        long stopping = 0;
        FlowLoader loader = new FlowLoader();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new Cli.UsageException("no such file or folder: " + path);
            }
            FlowFiles.Report report = FlowFiles.load(loader, path);
            for (Diagnostic d : report.diagnostics()) {
                if (d.isError() || d.rule().equals("missing-recording")) {
                    out.println(d.format());
                }
                if (d.isError()) {
                    stopping++;
                }
            }
            report.files().stream().filter(l -> l.flow() != null && !l.hasErrors()).forEach(l -> flows.add(l.flow()));
        }
        if (stopping > 0) {
            err.println("ivrflow: " + stopping + " error(s) in the flows (see above); no prompt was made");
            return 1;
        }
        DefaultCamelContext camel = null;
        PollySpeech polly = null;
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads());
        try {
            if (settings.backends().contains("polly")) {
                camel = new DefaultCamelContext();
                camel.start();
                polly = new PollySpeech(settings.polly(), camel.createProducerTemplate());
            }
            Prompts prompts = new Prompts(settings, new AudioFiles("flows"), Prompts.backends(settings, polly),
                    executor, Platform.SERVED, () -> FlowCatalog.of(flows), io.ivrflow.ops.Faults.unwatched());
            Pregeneration.Report report = prompts.pregenerate(flows, (done, total, item, platform, outcome, detail) -> {
                synchronized (out) {
                    out.printf("[%" + digits(total) + "d/%d] %s %s %s %s: %s%s%n", done, total, item.flowId(),
                            item.where().isEmpty() ? "(engine message)" : item.where(), item.language(),
                            platform.name(), outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                            detail.isEmpty() ? "" : " (" + detail + ")");
                }
            });
            out.println(report + "; cache " + prompts.resolver().speech().cache().directory());
            report.failures().forEach(f -> err.println("ivrflow: could not make " + f));
            return report.ok() ? 0 : 1;
        } finally {
            executor.shutdownNow();
            if (polly != null) {
                polly.close();
            }
            if (camel != null) {
                camel.stop();
            }
        }
    }

    private static void env(Map<String, String> properties, String key, String variable) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            properties.put(key, value);
        }
    }

    private static int digits(int n) {
        return Integer.toString(Math.max(1, n)).length();
    }

    private static String value(Iterator<String> it, String option) throws Cli.UsageException {
        if (!it.hasNext()) {
            throw new Cli.UsageException(option + " needs a value");
        }
        return it.next();
    }
}
