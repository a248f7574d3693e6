package io.github.jettyuwsgi.launcher.ee8;

import io.github.jettyuwsgi.launcher.deploy.WebAppDeployer;
import io.github.jettyuwsgi.launcher.deploy.WebAppSpec;
import io.github.jettyuwsgi.launcher.webapps.ContextAttributeDefaults;
import io.github.jettyuwsgi.launcher.webapps.ContextXml;
import org.eclipse.jetty.ee8.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee8.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee8.webapp.WebAppContext;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;

/**
 * Deploys legacy WARs in Jetty's ee8 environment (Servlet 4.0, {@code javax.servlet}) for the launcher: found by
 * {@code ServiceLoader} in the class loader of {@code lib/ee8} and called by the launcher core's
 * {@code ServerAssembler}.
 *
 * <p>ee8 is a nested environment: its {@link WebAppContext} is not itself a core handler but wraps one, and that core
 * handler is what the server gets. Configurations are those discovered in {@code lib/ee8} (annotations, JNDI and
 * {@code env-entry}, {@code jetty-web.xml}, JSP); the container jars to scan, for the JSTL tag library descriptors, are
 * set here.</p>
 */
public class Ee8WebAppDeployer implements WebAppDeployer
{
    /** Container jars scanned like WEB-INF/lib: Jetty's javax servlet API, and the JSTL jars with their descriptors. */
    static final String CONTAINER_JARS = ".*/jetty-servlet-api-[^/]*\\.jar$|.*/javax\\.servlet\\.jsp\\.jstl-[^/]*\\.jar$|.*/jakarta\\.servlet\\.jsp\\.jstl-api-[^/]*\\.jar$";

    @Override
    public String getEnvironment()
    {
        return "ee8";
    }

    @Override
    public ContextHandler newContext(WebAppSpec spec) throws Exception
    {
        WebAppContext webApp = new WebAppContext();
        webApp.setContextPath(spec.contextPath());
        boolean contextXml = ContextXml.isContextXml(spec.war());
        if (!contextXml)
            webApp.setWar(spec.war().toString());
        webApp.setAttribute(MetaInfConfiguration.CONTAINER_JAR_PATTERN, CONTAINER_JARS);
        ContextAttributeDefaults.of(System.getProperties()).forEach((name, value) ->
            webApp.setAttribute(name, name.equals(MetaInfConfiguration.CONTAINER_JAR_PATTERN) ? CONTAINER_JARS + "|" + value : value));
        // A WAR that cannot start makes its context's start throw, so that the launcher's ApplicationStartGuard sees it:
        // logged, counted by need-app, and answered 503 at its path while the other applications serve.
        webApp.setThrowUnavailableOnStartupException(true);
        // web.xml error pages are added to this handler; Jetty's own page stays, without a stack trace: a production
        // server does not show its internals to a client (the exception is logged).
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.setShowStacks(false);
        webApp.setErrorHandler(errors);
        if (contextXml)
            configure(webApp, ContextXml.read(spec.war()));
        return webApp.getCoreContextHandler();
    }

    /**
     * Applies a context XML file to the context as jetty-home applies {@code webapps/*.xml}, with Jetty's own
     * {@code XmlConfiguration}: after the launcher's settings, so that the file's win.
     */
    private static void configure(WebAppContext webApp, ContextXml contextXml) throws Exception
    {
        XmlConfiguration configuration = new XmlConfiguration(ResourceFactory.root().newResource(contextXml.file()));
        configuration.getProperties().putAll(contextXml.properties());
        configuration.configure(webApp);
    }
}
