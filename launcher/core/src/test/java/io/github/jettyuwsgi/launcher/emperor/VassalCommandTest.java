package io.github.jettyuwsgi.launcher.emperor;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class VassalCommandTest
{
    @TempDir
    Path vassals;

    @Test
    public void testThisJvmRunsVassalMainOnTheFileNameAsFoundWithUwsgisFlagByExtension()
    {
        VassalCommand command = VassalCommand.ofThisJvm(vassals);

        List<String> ini = command.command("shop.ini");
        assertEquals(ProcessHandle.current().info().command().orElseThrow(), ini.get(0));
        assertEquals(List.of(VassalMain.class.getName(), "--ini", "shop.ini"), ini.subList(ini.size() - 3, ini.size()));
        int classPath = ini.indexOf("-cp") + 1;
        for (String entry : ini.get(classPath).split(File.pathSeparator))
        {
            assertTrue(Path.of(entry).isAbsolute(), entry);
        }
        List<String> json = command.command("api.json");
        assertEquals(List.of("--json", "api.json"), json.subList(json.size() - 2, json.size()));
    }

    @Test
    public void testRunsInTheVassalsDirectoryWithStandardInputFromTheEmperor()
    {
        ProcessBuilder builder = VassalCommand.ofThisJvm(vassals).builder("a.ini");

        assertEquals(vassals.toFile(), builder.directory());
        assertEquals(ProcessBuilder.Redirect.PIPE, builder.redirectInput());
        assertEquals(ProcessBuilder.Redirect.INHERIT, builder.redirectOutput());
        assertEquals(ProcessBuilder.Redirect.INHERIT, builder.redirectError());
    }

    @Test
    public void testEnvironmentDropsTheEmperorsKeysAndPromotesVassalKeysAsUwsgi()
    {
        Map<String, String> environment = VassalCommand.environment(Map.of(
            "PATH", "/usr/bin",
            "UWSGI_EMPEROR", "/etc/vassals",
            "UWSGI_EMPEROR_THROTTLE", "500",
            "UWSGI_THREADS", "16",
            "UWSGI_VASSAL_THREADS", "8",
            "UWSGI_VASSAL_STRICT", "true",
            "JAVA_TOOL_OPTIONS", "-javaagent:agent.jar",
            "JDK_JAVA_OPTIONS", "-Xmx1g"));

        assertEquals(Map.of("PATH", "/usr/bin", "UWSGI_THREADS", "8", "UWSGI_STRICT", "true"), environment);
    }

    @Test
    public void testClassPathEntriesBecomeAbsolute()
    {
        String classPath = VassalCommand.absoluteClassPath("launcher.jar" + File.pathSeparator + "/opt/lib/x.jar" + File.pathSeparator);

        assertEquals(Path.of("launcher.jar").toAbsolutePath() + File.pathSeparator + "/opt/lib/x.jar", classPath);
        assertFalse(classPath.endsWith(File.pathSeparator));
    }
}
