package io.ivrflow.console;

import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.ops.UserInput;
import org.apache.camel.Exchange;

/**
 * The console's flows over HTTP (routes/console-flows.camel.yaml, console-flow.camel.yaml): {@code GET
 * /console/api/flows} lists every flow file with its lint results, {@code GET /console/api/flows/{flow}} gives one
 * flow's picture, nodes and diagnostics.
 */
public class ConsoleFlows {

    private FlowRepository flowRepository;
    private PromptAudio audio;

    /** GET /console/api/flows. */
    public void list(Exchange exchange) {
        JsonAnswers.answer(exchange, 200, () -> descriptions().list());
    }

    /** GET /console/api/flows/{flow}. */
    public void flow(Exchange exchange) {
        String id = exchange.getMessage().getHeader("flow", "", String.class);
        JsonAnswers.answer(exchange, 200, () -> descriptions().describe(id).orElseThrow(() -> ApiError.notFound(
                "no flow " + UserInput.shown(id) + " is loaded")));
    }

    /** Two references, made per request: the repository and the audio bean hold all the state. */
    private FlowDescriptions descriptions() {
        return new FlowDescriptions(flowRepository, audio);
    }

    public void setFlowRepository(FlowRepository flowRepository) {
        this.flowRepository = flowRepository;
    }

    public void setAudio(PromptAudio audio) {
        this.audio = audio;
    }
}
