package io.github.jettyuwsgi.launcher.deploy;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class loaders of the gateway applications ({@code --app}, {@code --jwsgi}): a fresh loader per application and
 * per deployment, child of the environment's (which holds the adapter and the Servlet API), so that a reload (SIGHUP)
 * sees the classes as they are now on disk. {@link Deployment} closes each with its context. A WAR's class loader is
 * its context's own, made by Jetty.
 */
final class ApplicationClassLoaders
{
    private ApplicationClassLoaders()
    {
    }

    /**
     * @param classpath the {@code classpath} entries
     * @param environment the environment's class loader, the parent
     * @return a new loader over the entries
     * @throws MalformedURLException if an entry has no URL
     */
    static URLClassLoader newLoader(List<Path> classpath, ClassLoader environment) throws MalformedURLException
    {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath)
        {
            urls.add(entry.toAbsolutePath().normalize().toUri().toURL());
        }
        return new URLClassLoader("jetty-uwsgi-app", urls.toArray(URL[]::new), environment);
    }
}
