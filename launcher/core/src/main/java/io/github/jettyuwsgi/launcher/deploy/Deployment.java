package io.github.jettyuwsgi.launcher.deploy;

import java.io.File;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import io.github.jettyuwsgi.launcher.options.UsageException;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, not started, the applications of the options: every WAR ({@code war}, {@code mount}), inspected first
 * ({@link WarInspection}), then every gateway application ({@code app}, {@code jwsgi}) with its own class loader
 * ({@link ApplicationClassLoaders}); each context comes from its environment's {@link WebAppDeployer}. Used at start
 * and again for each reload; the {@code server} package's {@code HandlerChain} puts the result under the server.
 *
 * <p>It logs one line per application deployed, with the environment each WAR got and why.</p>
 */
public final class Deployment
{
    private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);

    private final LauncherOptions options;
    private final EnvironmentLoader environments;

    /**
     * @param options validated options
     * @param environments where the applications' environments come from
     */
    public Deployment(LauncherOptions options, EnvironmentLoader environments)
    {
        this.options = options;
        this.environments = environments;
    }

    /**
     * @return the applications, WARs first, in configuration order, not started
     * @throws UsageException if an application cannot work with the options given (a realm not given, a class not
     * found on {@code classpath})
     * @throws Exception if an environment cannot create a context
     */
    public List<DeployedApplication> newApplications() throws Exception
    {
        List<DeployedApplication> applications = new ArrayList<>();
        options.getJettyModules().forEach((name, provided) -> LOG.info("jetty-module {}: {}", name, provided));
        for (WarInspection.InspectedWar war : WarInspection.inspect(options.getDeployments(), options.getRealms().keySet(), options.getEnvironment(), options.getMountEnvironments()))
        {
            applications.add(deploy(war));
        }
        String environment = gatewayEnvironment();
        List<String> problems = new ArrayList<>();
        for (LauncherOptions.GatewayMount gateway : options.getGateways())
        {
            URLClassLoader classLoader = ApplicationClassLoaders.newLoader(options.getClasspath(), environments.getClassLoader(environment));
            try
            {
                Class.forName(gateway.className(), false, classLoader);
                applications.add(deploy(gateway, environment, classLoader));
            }
            catch (ClassNotFoundException | LinkageError x)
            {
                classLoader.close();
                problems.add(gateway.source() + ": class " + gateway.className() + " not found on --classpath " +
                    options.getClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)) +
                    (x instanceof ClassNotFoundException ? "" : " (" + x + ")") + " (expected: the application's classes in a directory or jar of --classpath)");
            }
        }
        if (!problems.isEmpty())
            throw new UsageException(problems);
        return applications;
    }

    /**
     * @return the environment of the gateway applications: the one forced by {@code --environment}, else ee11
     */
    private String gatewayEnvironment()
    {
        return options.getEnvironment() == null ? "ee11" : options.getEnvironment();
    }

    private DeployedApplication deploy(LauncherOptions.GatewayMount gateway, String environment, URLClassLoader classLoader) throws Exception
    {
        String contextPath = gateway.contextPath();
        String what = ("jwsgi".equals(gateway.kind()) ? "JWSGI application " : "gateway application ") + gateway.target();
        LOG.info("Deploying {} at {} in {}", what, contextPath, environment);
        WebAppDeployer deployer = environments.getDeployer(environment);
        GatewaySpec spec = new GatewaySpec(contextPath, classLoader, Map.of(gateway.kind(), gateway.target()));
        ContextHandler context = environments.callInEnvironment(environment, () -> deployer.newGatewayContext(spec));
        context.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                LOG.info("Deployed {} at {} in {}", what, contextPath, environment);
            }

            @Override
            public void lifeCycleStopped(LifeCycle event)
            {
                // the jars of --classpath stay open otherwise, one set per reload
                IO.close(classLoader);
            }
        });
        return new DeployedApplication(what + " at " + contextPath, environments.getClassLoader(environment), context);
    }

    private DeployedApplication deploy(WarInspection.InspectedWar webApp) throws Exception
    {
        String environment = webApp.environment().environment();
        String contextPath = webApp.mount().contextPath();
        LOG.info("Deploying {} at {} in {}: {}", webApp.war().getFileName(), contextPath, environment, webApp.environment().reason());
        WebAppDeployer deployer = environments.getDeployer(environment);
        ContextHandler context = environments.callInEnvironment(environment, () -> deployer.newContext(new WebAppSpec(contextPath, webApp.war())));
        context.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                LOG.info("Deployed {} at {} in {}", webApp.war().getFileName(), contextPath, environment);
            }
        });
        return new DeployedApplication("WAR " + webApp.war().getFileName() + " at " + contextPath, environments.getClassLoader(environment), context);
    }
}
