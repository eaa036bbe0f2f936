package io.ivrflow.prompts;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * platform-http's default filter drops Cache-Control from responses, which recordings need. The audio
 * endpoint clears every request header itself, so only Camel's internal headers are filtered here.
 */
public class AudioHeaderFilter extends DefaultHeaderFilterStrategy {

    public AudioHeaderFilter() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setLowerCase(true);
    }
}
