package io.ivrflow.console;

import io.ivrflow.app.FlowRepository;
import io.ivrflow.prompts.Prompts;
import org.apache.camel.Exchange;

/**
 * The console's flows over HTTP (routes/console-flows.camel.yaml, console-flow.camel.yaml): {@code GET
 * /console/api/flows} lists every flow file with its lint results, {@code GET /console/api/flows/{flow}} gives one
 * flow's picture, nodes and diagnostics.
 */
public class ConsoleFlows {

    private FlowRepository flowRepository;
    private Prompts prompts;
    private String flowsDirectory = "flows";
    private volatile FlowDescriptions descriptions;

    /** GET /console/api/flows. */
    public void list(Exchange exchange) {
        JsonAnswers.answer(exchange, 200, () -> descriptions().list());
    }

    /** GET /console/api/flows/{flow}. */
    public void flow(Exchange exchange) {
        String id = exchange.getMessage().getHeader("flow", "", String.class);
        JsonAnswers.answer(exchange, 200, () -> descriptions().describe(id).orElseThrow(() -> ApiError.notFound(
                "no flow " + (id.length() > 80 ? id.substring(0, 80) + "…" : id) + " is loaded")));
    }

    private FlowDescriptions descriptions() {
        FlowDescriptions d = descriptions;
        if (d == null) {
            synchronized (this) {
                if (descriptions == null) {
                    descriptions = new FlowDescriptions(flowRepository, new PromptAudio(flowsDirectory, prompts));
                }
                d = descriptions;
            }
        }
        return d;
    }

    public void setFlowRepository(FlowRepository flowRepository) {
        this.flowRepository = flowRepository;
    }

    public void setPrompts(Prompts prompts) {
        this.prompts = prompts;
    }

    public void setFlowsDirectory(String flowsDirectory) {
        this.flowsDirectory = flowsDirectory;
    }
}
