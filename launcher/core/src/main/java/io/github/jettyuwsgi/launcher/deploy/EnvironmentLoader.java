package io.github.jettyuwsgi.launcher.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the EE environments as jetty-home does: the launcher core sits on the system class path ({@code lib/core}),
 * and each environment's jars ({@code lib/ee8}, {@code lib/ee10}, {@code lib/ee11}) get their own
 * {@link URLClassLoader} whose parent is the core's. That is what lets ee10 (Servlet 6.0) and ee11 (Servlet 6.1) and
 * javax-based ee8 run side by side. {@link Deployment} asks it for each environment's {@link WebAppDeployer}.
 *
 * <p>An environment is loaded on first use, once per JVM: Jetty registers environments JVM-wide
 * ({@link org.eclipse.jetty.util.component.Environment}), so a second class loader for the same name would clash.</p>
 */
public final class EnvironmentLoader
{
    /** System property naming the launcher's home directory (the one holding {@code lib/}); for embedding and tests. */
    public static final String HOME_PROPERTY = "jetty.uwsgi.home";

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentLoader.class);
    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

    private record Loaded(Path directory, URLClassLoader classLoader, WebAppDeployer deployer)
    {
    }

    private final Path home;

    /**
     * @param home the launcher's home directory, holding {@code lib/ee8}, {@code lib/ee10} and {@code lib/ee11}
     */
    public EnvironmentLoader(Path home)
    {
        this.home = home.toAbsolutePath().normalize();
    }

    /**
     * @return the home directory: {@value #HOME_PROPERTY} if set, else the directory of the launcher jar
     * @throws IllegalStateException if neither gives a directory
     */
    public static Path locateHome()
    {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null)
            return Path.of(property);
        CodeSource codeSource = EnvironmentLoader.class.getProtectionDomain().getCodeSource();
        try
        {
            Path location = codeSource == null ? null : Path.of(codeSource.getLocation().toURI());
            if (location != null && Files.isRegularFile(location))
                return location.getParent();
        }
        catch (URISyntaxException | IllegalArgumentException x)
        {
            // fall through to the error below
        }
        throw new IllegalStateException("cannot locate the launcher's home directory (expected: run as java -jar jetty-uwsgi-launcher.jar, or set -D" + HOME_PROPERTY + "=DIR)");
    }

    /**
     * @param environment {@code "ee8"}, {@code "ee10"} or {@code "ee11"}
     * @return the environment's deployer, loading the environment on first use
     * @throws IllegalStateException if the environment's directory or deployer is missing
     */
    public WebAppDeployer getDeployer(String environment)
    {
        return load(environment).deployer();
    }

    /**
     * @param environment {@code "ee8"}, {@code "ee10"} or {@code "ee11"}
     * @return the class loader of {@code lib/<environment>}, loading the environment on first use
     * @throws IllegalStateException if the environment's directory or deployer is missing
     */
    public ClassLoader getClassLoader(String environment)
    {
        return load(environment).classLoader();
    }

    /**
     * Runs a task with the environment's class loader as the thread context class loader: Jetty's contexts take
     * their parent class loader from it when they are created.
     *
     * @param environment the environment
     * @param task the task
     * @param <T> the result type
     * @return the task's result
     * @throws Exception what the task throws
     */
    public <T> T callInEnvironment(String environment, Callable<T> task) throws Exception
    {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(getClassLoader(environment));
        try
        {
            return task.call();
        }
        finally
        {
            thread.setContextClassLoader(previous);
        }
    }

    private Loaded load(String environment)
    {
        Path directory = home.resolve("lib").resolve(environment);
        Loaded loaded = LOADED.computeIfAbsent(environment, name -> newEnvironment(name, directory));
        if (!loaded.directory().equals(directory))
            throw new IllegalStateException("environment " + environment + ": already loaded from " + loaded.directory() + " in this JVM (expected: one home directory per JVM, not " + directory + ")");
        return loaded;
    }

    private static Loaded newEnvironment(String environment, Path directory)
    {
        List<URL> jars = listJars(environment, directory);
        URLClassLoader classLoader = new URLClassLoader("jetty-uwsgi-" + environment, jars.toArray(URL[]::new), EnvironmentLoader.class.getClassLoader());
        WebAppDeployer deployer = findDeployer(environment, directory, classLoader);
        LOG.debug("environment {}: {} jars from {}, deployer {}", environment, jars.size(), directory, deployer);
        return new Loaded(directory, classLoader, deployer);
    }

    private static List<URL> listJars(String environment, Path directory)
    {
        if (!Files.isDirectory(directory))
            throw new IllegalStateException("environment " + environment + " is not installed: " + directory + " does not exist (expected: the launcher distribution's lib/" + environment + ")");
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory))
        {
            for (Path jar : files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList())
            {
                jars.add(jar.toUri().toURL());
            }
        }
        catch (MalformedURLException x)
        {
            throw new IllegalStateException("environment " + environment + ": " + x.getMessage(), x);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("environment " + environment + ": cannot list " + directory, x);
        }
        if (jars.isEmpty())
            throw new IllegalStateException("environment " + environment + " is not installed: " + directory + " has no jars (expected: the launcher distribution's lib/" + environment + ")");
        return jars;
    }

    private static WebAppDeployer findDeployer(String environment, Path directory, ClassLoader classLoader)
    {
        try
        {
            for (WebAppDeployer deployer : ServiceLoader.load(WebAppDeployer.class, classLoader))
            {
                if (environment.equals(deployer.getEnvironment()))
                    return deployer;
            }
        }
        catch (ServiceConfigurationError x)
        {
            throw new IllegalStateException("environment " + environment + ": broken WebAppDeployer in " + directory + ": " + x.getMessage(), x);
        }
        throw new IllegalStateException("environment " + environment + ": no WebAppDeployer for " + environment + " in " + directory + " (expected: jetty-uwsgi-launcher-" + environment + "-*.jar there)");
    }
}
