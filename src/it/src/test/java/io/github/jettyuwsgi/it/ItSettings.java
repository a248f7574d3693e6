package io.github.jettyuwsgi.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * <p>Where the end-to-end tests find what they run: the launcher jar, the example WARs and their own work
 * directory. The values are system properties, set from the module's pom for failsafe (paths computed from the
 * project directory) and by src/it/load/run-load.sh for {@link LoadRig}.</p>
 */
public record ItSettings(Path launcherJar, Path echoWar, Path streamingWar, Path workDir)
{
    public static ItSettings fromSystemProperties()
    {
        return new ItSettings(
            existingFile("it.launcher.jar", "built by 'mvn package' in launcher/dist"),
            existingFile("it.echo.war", "copied to src/it/target/it-wars by 'mvn verify' in src/it"),
            existingFile("it.streaming.war", "copied to src/it/target/it-wars by 'mvn verify' in src/it"),
            path("it.work.dir"));
    }

    private static Path existingFile(String property, String producedBy)
    {
        Path path = path(property);
        if (!Files.isRegularFile(path))
            throw new IllegalStateException(property + " is not a file: " + path + " (expected: " + producedBy + ")");
        return path;
    }

    private static Path path(String property)
    {
        String value = System.getProperty(property);
        if (value == null || value.isBlank())
            throw new IllegalStateException("system property " + property + " not set (expected: set by src/it/pom.xml or src/it/load/run-load.sh)");
        return Path.of(value).toAbsolutePath().normalize();
    }
}
