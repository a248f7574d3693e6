package io.github.jettyuwsgi.launcher.process;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;

import io.github.jettyuwsgi.launcher.options.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C environment of the launcher's process ({@code setenv(3)}, {@code unsetenv(3)}), changed alongside the JVM's
 * own copy by {@link EnvironmentVariables}: a child process that an application starts without calling
 * {@code ProcessBuilder.environment()} inherits this one, as do native libraries that call {@code getenv}.
 *
 * <p>Java calls C functions without a native library of its own only through the foreign function API, final since
 * Java 22. The launcher is built for Java 17, so the API is reached by reflection, and on Java 17 to 21 this class is
 * not available ({@link #load()} is empty). The manifest's {@code Enable-Native-Access: ALL-UNNAMED} keeps Java 22+
 * from warning about it.</p>
 */
final class NativeEnvironment
{
    private static final Logger LOG = LoggerFactory.getLogger(NativeEnvironment.class);
    /** The first Java version with the foreign function API out of preview. */
    static final int MIN_JAVA = 22;

    private final MethodHandle setenv;
    private final MethodHandle unsetenv;
    private final Method ofConfined;
    private final Method allocateFrom;

    private NativeEnvironment(MethodHandle setenv, MethodHandle unsetenv, Method ofConfined, Method allocateFrom)
    {
        this.setenv = setenv;
        this.unsetenv = unsetenv;
        this.ofConfined = ofConfined;
        this.allocateFrom = allocateFrom;
    }

    /**
     * @return the C environment's functions, or empty before Java {@value #MIN_JAVA} or where they cannot be linked
     */
    static Optional<NativeEnvironment> load()
    {
        if (Runtime.version().feature() < MIN_JAVA)
            return Optional.empty();
        try
        {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");

            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
            Object address = valueLayoutClass.getField("ADDRESS").get(null);
            Object javaInt = valueLayoutClass.getField("JAVA_INT").get(null);
            Method of = descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType());
            // int setenv(const char *name, const char *value, int overwrite); int unsetenv(const char *name)
            Object setenvType = of.invoke(null, javaInt, layouts(layoutClass, address, address, javaInt));
            Object unsetenvType = of.invoke(null, javaInt, layouts(layoutClass, address));
            Method find = lookupClass.getMethod("find", String.class);
            Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType());
            Object noOptions = Array.newInstance(optionClass, 0);
            MethodHandle setenv = (MethodHandle)downcall.invoke(linker, ((Optional<?>)find.invoke(lookup, "setenv")).orElseThrow(), setenvType, noOptions);
            MethodHandle unsetenv = (MethodHandle)downcall.invoke(linker, ((Optional<?>)find.invoke(lookup, "unsetenv")).orElseThrow(), unsetenvType, noOptions);
            return Optional.of(new NativeEnvironment(setenv, unsetenv, arenaClass.getMethod("ofConfined"),
                Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocateFrom", String.class)));
        }
        catch (ReflectiveOperationException | RuntimeException x)
        {
            LOG.warn("env: cannot reach the C environment ({}); child processes started without ProcessBuilder.environment() get the launch environment", Failures.describe(x));
            LOG.debug("foreign function API", x);
            return Optional.empty();
        }
    }

    private static Object layouts(Class<?> layoutClass, Object... layouts)
    {
        Object array = Array.newInstance(layoutClass, layouts.length);
        for (int i = 0; i < layouts.length; i++)
        {
            Array.set(array, i, layouts[i]);
        }
        return array;
    }

    /**
     * @param name the variable
     * @param value its value, or null to remove it
     * @throws IllegalStateException if the C library refuses
     */
    void set(String name, String value)
    {
        try (AutoCloseable arena = (AutoCloseable)ofConfined.invoke(null))
        {
            Object cName = allocateFrom.invoke(arena, name);
            int status = value == null
                ? (int)unsetenv.invokeWithArguments(cName)
                : (int)setenv.invokeWithArguments(cName, allocateFrom.invoke(arena, value), 1);
            if (status != 0)
                throw new IllegalStateException("env: " + (value == null ? "unsetenv" : "setenv") + "(" + name + ") failed (expected: a valid variable name)");
        }
        catch (IllegalStateException x)
        {
            throw x;
        }
        catch (Throwable x)
        {
            throw new IllegalStateException("env: cannot set " + name + " in the C environment: " + Failures.describe(x), x);
        }
    }
}
