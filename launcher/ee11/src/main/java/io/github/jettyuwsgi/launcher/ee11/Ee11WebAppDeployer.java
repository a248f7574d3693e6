package io.github.jettyuwsgi.launcher.ee11;

import io.github.jettyuwsgi.gateway.servlet.GatewayServlet;
import io.github.jettyuwsgi.launcher.deploy.GatewaySpec;
import io.github.jettyuwsgi.launcher.deploy.WebAppDeployer;
import io.github.jettyuwsgi.launcher.deploy.WebAppSpec;
import io.github.jettyuwsgi.launcher.webapps.ContextAttributeDefaults;
import io.github.jettyuwsgi.launcher.webapps.ContextXml;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;

/**
 * Deploys WARs in Jetty's ee11 environment (Servlet 6.1, {@code jakarta.servlet}) for the launcher: found by
 * {@code ServiceLoader} in the class loader of {@code lib/ee11} and called by the launcher core's
 * {@code ServerAssembler}.
 *
 * <p>A plain {@link WebAppContext} with the configurations discovered in {@code lib/ee11} (annotations, JNDI and
 * {@code env-entry}, {@code jetty-web.xml}, JSP), plus the one thing discovery cannot know: which container jars carry
 * TLDs and {@code ServletContainerInitializer}s to scan, here the JSTL implementation and the servlet API; and Jetty's
 * WebSocket upgrade filter in the form that lets plain requests pass without wrapping them
 * ({@link CheckFirstWebSocketUpgradeFilter}).</p>
 */
public class Ee11WebAppDeployer implements WebAppDeployer
{
    /** Container jars scanned like WEB-INF/lib: ee11's JSTL (GlassFish WaSP) carries the tag library descriptors. */
    static final String CONTAINER_JARS = ".*/jakarta\\.servlet-api-[^/]*\\.jar$|.*/jakarta\\.servlet\\.jsp\\.jstl-[^/]*\\.jar$|.*/wasp-[^/]*\\.jar$";

    @Override
    public String getEnvironment()
    {
        return "ee11";
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
        webApp.setErrorHandler(errorPagesWithoutStacks());
        CheckFirstWebSocketUpgradeFilter.register(webApp.getServletHandler());
        if (contextXml)
            configure(webApp, ContextXml.read(spec.war()));
        return webApp;
    }

    @Override
    public ContextHandler newGatewayContext(GatewaySpec spec)
    {
        ServletContextHandler context = new ServletContextHandler(spec.contextPath());
        // GatewayServlet loads the application from its ServletContext's class loader: the --classpath loader.
        context.setClassLoader(spec.classLoader());
        context.setErrorHandler(errorPagesWithoutStacks());
        // What a WSGI application sees under uWSGI: the mount root itself (GET /gw) calls the application with PATH_INFO
        // empty instead of Jetty's redirect to /gw/, and an encoded slash (/gw/x%2Fy) reaches it, PATH_INFO decoded and
        // REQUEST_URI raw, instead of the servlet layer's 400: the application, not a servlet mapping, reads the path.
        context.setAllowNullPathInContext(true);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder gateway = new ServletHolder("gateway", GatewayServlet.class);
        gateway.setInitParameters(spec.initParams());
        // Loaded at start, so a class or method that cannot be used fails the start instead of the first request.
        gateway.setInitOrder(0);
        gateway.setAsyncSupported(true);
        context.addServlet(gateway, "/*");
        return context;
    }

    /**
     * The error handler {@code web.xml} error pages are added to, with Jetty's error page kept but never a stack trace:
     * a production server does not show its internals to a client (the exception is logged).
     */
    private static ErrorPageErrorHandler errorPagesWithoutStacks()
    {
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.setShowStacks(false);
        return errors;
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
