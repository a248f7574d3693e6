package io.github.jettyuwsgi.launcher.deploy;

import java.util.List;
import java.util.Objects;

import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications of one deployment (what {@code ServerAssembler.newApplications()} builds, at start and at each
 * reload), judged once each has started or failed, as uWSGI judges its apps once it has loaded them: each
 * {@link ApplicationStartGuard} that did not start is logged and answers 503, unless none started and
 * {@code need-app} is set, which fails the start with {@link ApplicationStartException#noneStarted}.
 */
public final class StartedApplications extends Handler.Wrapper
{
    private static final Logger LOG = LoggerFactory.getLogger(StartedApplications.class);

    private final boolean needApp;

    /**
     * @param applications the deployment's contexts, each in an {@link ApplicationStartGuard}
     * @param needApp whether a deployment in which no application started must fail
     */
    public StartedApplications(Handler applications, boolean needApp)
    {
        super(applications);
        this.needApp = needApp;
    }

    @Override
    protected void doStart() throws Exception
    {
        super.doStart();
        List<ApplicationStartGuard> applications = getDescendants(ApplicationStartGuard.class);
        List<ApplicationStartException> failures = applications.stream().map(ApplicationStartGuard::getFailure).filter(Objects::nonNull).toList();
        if (failures.isEmpty())
            return;
        boolean noneStarted = failures.size() == applications.size();
        // uWSGI 2.0.21 (core/uwsgi.c): need-app exits with UWSGI_FAILED_APP_CODE only when no app at all was loaded
        if (noneStarted && needApp)
            throw ApplicationStartException.noneStarted(failures);
        for (ApplicationStartException failure : failures)
        {
            LOG.warn("{}; it answers 503 at its path{}", failure.getMessage(), noneStarted ? "" : ", the other applications are served");
        }
        if (noneStarted)
            LOG.warn("no application started: requests get 503 or 404 until a reload deploys one (need-app would exit with status {} instead)", ApplicationStartException.EXIT_STATUS);
    }
}
