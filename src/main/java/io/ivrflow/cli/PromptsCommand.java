package io.ivrflow.cli;

import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.prompts.Pregeneration;
import io.ivrflow.prompts.PollySpeech;
import io.ivrflow.prompts.Prompts;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code prompts [options] PATH...}: makes every prompt of the flows into the cache, as the service does at
 * startup, printing each one as it is done. Refuses flows with errors, among them a declared language without
 * a prompt and words over Polly's limits; exit 1 then, or when a prompt could not be made.
 */
final class PromptsCommand {


    private PromptsCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Cli.UsageException, IOException {
        Prompts prompts = new Prompts();
        prompts.setCacheDirectory(System.getProperty("ivr.prompts.cache-directory", "prompt-cache"));
        String backends = "local";
        String pollyEndpoint = "";
        List<Path> paths = new ArrayList<>();
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String a = it.next();
            switch (a) {
                case "--cache" -> prompts.setCacheDirectory(value(it, a));
                case "--backends" -> backends = value(it, a);
                case "--wazo" -> prompts.setWazoEnabled(true);
                case "--plivo-audio" -> prompts.setPlivoAudio(value(it, a));
                case "--polly-endpoint" -> pollyEndpoint = value(it, a);
                case "--threads" -> prompts.setThreads(Integer.parseInt(value(it, a)));
                default -> {
                    if (a.startsWith("--")) {
                        throw new Cli.UsageException("unknown option " + a);
                    }
                    paths.add(Path.of(a));
                }
            }
        }
        if (paths.isEmpty()) {
            throw new Cli.UsageException("prompts needs at least one flow file or folder");
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
        prompts.setBackends(backends);
        DefaultCamelContext camel = null;
        if (backends.contains("polly")) {
            camel = new DefaultCamelContext();
            camel.start();
            PollySpeech polly = new PollySpeech();
            polly.setCamelContext(camel);
            polly.setRegion(System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
            polly.setAccessKey(System.getenv("IVR_POLLY_ACCESS_KEY"));
            polly.setSecretKey(System.getenv("IVR_POLLY_SECRET_KEY"));
            polly.setEndpointOverride(pollyEndpoint);
            prompts.setPolly(polly);
        }
        try {
            try {
                prompts.resolver();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new Cli.UsageException(e.getMessage());
            }
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
            prompts.stop();
            if (camel != null) {
                camel.stop();
            }
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
