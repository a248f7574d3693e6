package io.github.jettyuwsgi.launcher.dist;

import java.util.List;

/**
 * features-war forced into ee11 (Servlet 6.1), the environment it would also get by detection.
 */
class FeaturesWarEe11IT extends FeaturesWarChecks
{
    @Override
    List<String> moreOptions()
    {
        return List.of("--environment", "ee11");
    }

    @Override
    String expectedEnvironment()
    {
        return "ee11";
    }

    @Override
    String expectedReason()
    {
        return "forced by --environment";
    }

    @Override
    String expectedServletApi()
    {
        return "6.1";
    }
}
