package io.github.jettyuwsgi.launcher.emperor;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.launcher.Launcher;

/**
 * How the {@link Emperor} starts a vassal: a JVM of its own, the same {@code java} with the same JVM options and
 * class path as the emperor, running {@link VassalMain} on the vassal file, as uWSGI's emperor runs
 * {@code uwsgi --ini NAME}.
 *
 * <p>As in uWSGI the working directory is the vassals directory and the file is named as found there, so {@code %v}
 * is the vassals directory, relative paths in the file are read from there, and {@code %n} of a symlink is the link's
 * name, not its target's. Standard output and error are the emperor's (uWSGI's vassals share its terminal or journal);
 * standard input is a pipe from the emperor, whose end-of-file tells the vassal the emperor is gone. The environment
 * is the emperor's, with uWSGI's two rules: the emperor's own {@code UWSGI_EMPEROR*} keys are removed, and
 * {@code UWSGI_VASSAL_KEY} becomes {@code UWSGI_KEY}, an option for every vassal. {@code JAVA_TOOL_OPTIONS},
 * {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS} are removed too: the JVM options they gave the emperor are passed
 * on the command line already, and an agent given twice would be loaded twice.</p>
 */
final class VassalCommand implements VassalSpawner
{
    private static final String VASSAL_PREFIX = "UWSGI_VASSAL_";
    private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final Path vassalsDirectory;
    private final List<String> jvm;

    /**
     * @param vassalsDirectory the vassals' working directory
     * @param jvm the command line before the vassal's arguments: {@code java}, its options, class path and main class
     */
    VassalCommand(Path vassalsDirectory, List<String> jvm)
    {
        this.vassalsDirectory = vassalsDirectory;
        this.jvm = List.copyOf(jvm);
    }

    /**
     * @return the command that runs vassals in JVMs like this one
     */
    static VassalCommand ofThisJvm(Path vassalsDirectory)
    {
        List<String> jvm = new ArrayList<>();
        jvm.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        jvm.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        // what java -jar's manifest grants the launcher, which a class-path start does not: a vassal's env needs it
        jvm.addAll(Launcher.JVM_OPTIONS);
        jvm.add("-cp");
        jvm.add(absoluteClassPath(System.getProperty("java.class.path")));
        jvm.add(VassalMain.class.getName());
        return new VassalCommand(vassalsDirectory, jvm);
    }

    /**
     * @return the class path with every entry absolute: the vassal runs in another directory ({@code java -jar
     * launcher.jar} gives a relative one)
     */
    static String absoluteClassPath(String classPath)
    {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator))
        {
            if (!entry.isEmpty())
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * @param fileName the vassal file's name in the vassals directory, e.g. {@code shop.ini}
     * @return the whole command line
     */
    List<String> command(String fileName)
    {
        List<String> command = new ArrayList<>(jvm);
        // uWSGI's emperor passes --ini or --json by extension
        command.add(fileName.endsWith(".json") ? "--json" : "--ini");
        command.add(fileName);
        return command;
    }

    /**
     * @param emperorEnvironment the emperor's environment
     * @return the vassal's
     */
    static Map<String, String> environment(Map<String, String> emperorEnvironment)
    {
        Map<String, String> environment = new HashMap<>();
        for (Map.Entry<String, String> variable : emperorEnvironment.entrySet())
        {
            String name = variable.getKey();
            if (!name.startsWith("UWSGI_EMPEROR") && !name.startsWith(VASSAL_PREFIX) && !JVM_OPTION_VARIABLES.contains(name))
                environment.put(name, variable.getValue());
        }
        // applied after the copy, so UWSGI_VASSAL_X wins over the emperor's own UWSGI_X, as putenv does in uWSGI
        for (Map.Entry<String, String> variable : emperorEnvironment.entrySet())
        {
            String name = variable.getKey();
            if (name.startsWith(VASSAL_PREFIX) && name.length() > VASSAL_PREFIX.length())
                environment.put("UWSGI_" + name.substring(VASSAL_PREFIX.length()), variable.getValue());
        }
        return environment;
    }

    ProcessBuilder builder(String fileName)
    {
        ProcessBuilder builder = new ProcessBuilder(command(fileName))
            .directory(vassalsDirectory.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> environment = environment(builder.environment());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    @Override
    public Process spawn(String fileName) throws IOException
    {
        return builder(fileName).start();
    }
}
