package io.github.jettyuwsgi.launcher.dist;

import java.util.List;

/**
 * features-war forced into ee10, the Servlet 6.0 environment no WAR gets by detection.
 */
class FeaturesWarEe10IT extends FeaturesWarChecks
{
    @Override
    List<String> moreOptions()
    {
        return List.of("--environment", "ee10");
    }

    @Override
    String expectedEnvironment()
    {
        return "ee10";
    }

    @Override
    String expectedReason()
    {
        return "forced by --environment";
    }

    @Override
    String expectedServletApi()
    {
        return "6.0";
    }
}
