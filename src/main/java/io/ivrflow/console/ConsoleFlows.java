package io.ivrflow.console;

import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.UserInput;
import org.apache.camel.Header;

/**
 * The console's flows over HTTP (routes/console-api.camel.yaml): {@code GET /console/api/flows} lists every flow
 * file with its lint results, {@code GET /console/api/flows/{flow}} gives one flow's picture, nodes and diagnostics.
 */
public class ConsoleFlows {

    private final FlowDescriptions descriptions;

    public ConsoleFlows(FlowRepository flowRepository, PromptAudio audio) {
        this.descriptions = new FlowDescriptions(flowRepository, audio);
    }

    /** GET /console/api/flows. */
    public FlowDescriptions.Listing list() {
        return descriptions.list();
    }

    /** GET /console/api/flows/{flow}. */
    public Object flow(@Header("flow") String id) {
        return descriptions.describe(id).orElseThrow(() -> ApiError.notFound("no flow " + UserInput.shown(id)
                + " is loaded"));
    }
}
