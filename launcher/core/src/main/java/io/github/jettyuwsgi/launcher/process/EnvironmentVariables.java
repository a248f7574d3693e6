package io.github.jettyuwsgi.launcher.process;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * uWSGI's {@code env} and {@code unenv} for the launcher's own process, applied by {@link ProcessSettings} once, before
 * any application is deployed (a reload does not change them: running requests read the map unsynchronized): after {@link #apply(Map)}, {@code System.getenv()} in the
 * applications answers the configured values, and so does the environment of the child processes they start.
 *
 * <p>The JVM reads its environment once into a map that no API can change. As the test libraries that set
 * variables do (junit-pioneer, system-stubs), the map behind {@code System.getenv()} is reached by reflection, which
 * needs {@code java.util} open to the launcher: the launcher jar's manifest says {@code Add-Opens: java.base/java.util},
 * which {@code java -jar} honours. That map is the one {@code ProcessBuilder.environment()} copies; a child started
 * without that call inherits the C environment instead, which {@link NativeEnvironment} changes where the JVM allows
 * it (Java 22 and later).</p>
 */
final class EnvironmentVariables
{
    /** The one line printed when the launcher runs where the manifest's opening does not apply. */
    static final String OPENS_MISSING = "env: cannot set the environment variables of this JVM: package java.util is not open to the launcher " +
        "(expected: java -jar jetty-uwsgi-launcher.jar, whose manifest opens it, or the java option --add-opens java.base/java.util=ALL-UNNAMED)";

    private final Map<String, String> javaView;
    private final NativeEnvironment nativeEnvironment;
    /** The value each variable this class changed had before, empty if it was not set; to restore it. */
    private final Map<String, Optional<String>> before = new HashMap<>();

    /**
     * @param javaView the writable map behind {@code System.getenv()}, or any map in a test
     * @param nativeEnvironment the C environment, or null when the JVM does not let it be changed
     */
    EnvironmentVariables(Map<String, String> javaView, NativeEnvironment nativeEnvironment)
    {
        this.javaView = Objects.requireNonNull(javaView);
        this.nativeEnvironment = nativeEnvironment;
    }

    /**
     * @return the environment of this JVM, made writable
     * @throws IllegalStateException with {@link #OPENS_MISSING} if {@code java.util} is not open to the launcher
     */
    static EnvironmentVariables ofThisProcess()
    {
        return new EnvironmentVariables(writableJavaView(), NativeEnvironment.load().orElse(null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> writableJavaView()
    {
        Map<String, String> unmodifiable = System.getenv();
        try
        {
            // java.util.Collections$UnmodifiableMap around ProcessEnvironment's StringEnvironment (Linux, macOS)
            Field wrapped = unmodifiable.getClass().getDeclaredField("m");
            wrapped.setAccessible(true);
            return (Map<String, String>)wrapped.get(unmodifiable);
        }
        catch (InaccessibleObjectException x)
        {
            throw new IllegalStateException(OPENS_MISSING, x);
        }
        catch (ReflectiveOperationException | ClassCastException x)
        {
            throw new IllegalStateException("env: this JVM keeps its environment in an unknown form (" + unmodifiable.getClass().getName() +
                ") (expected: OpenJDK's ProcessEnvironment on Linux or macOS)", x);
        }
    }

    /**
     * @return whether child processes started without {@code ProcessBuilder.environment()} see the variables too
     */
    boolean reachesChildProcesses()
    {
        return nativeEnvironment != null;
    }

    /**
     * Sets each variable to its value, or removes it where the value is null; a variable that an earlier call set
     * and this one does not name gets back the value it had before that call, so that after a reload the environment
     * is the launch environment plus the current configuration's {@code env} lines.
     *
     * @param variables name to value, or name to null to remove it
     * @throws IllegalArgumentException if a name or value cannot be in an environment (a NUL character)
     */
    synchronized void apply(Map<String, String> variables)
    {
        for (Map.Entry<String, Optional<String>> changed : Map.copyOf(before).entrySet())
        {
            if (!variables.containsKey(changed.getKey()))
            {
                set(changed.getKey(), changed.getValue().orElse(null));
                before.remove(changed.getKey());
            }
        }
        for (Map.Entry<String, String> variable : variables.entrySet())
        {
            before.computeIfAbsent(variable.getKey(), name -> Optional.ofNullable(javaView.get(name)));
            set(variable.getKey(), variable.getValue());
        }
    }

    private void set(String name, String value)
    {
        if (value == null)
            javaView.remove(name);
        else
            javaView.put(name, value);
        if (nativeEnvironment != null)
            nativeEnvironment.set(name, value);
    }
}
