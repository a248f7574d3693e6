package io.github.jettyuwsgi.launcher.deploy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Deployment} asks a {@link WebAppDeployer} to deploy: the argument of the SPI, kept in the launcher
 * core so that every environment module compiles against the same type.
 *
 * @param contextPath the context path, {@code /} for the root
 * @param war the WAR file or exploded WAR directory, absolute
 */
public record WebAppSpec(String contextPath, Path war)
{
    public WebAppSpec
    {
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(war, "war");
    }
}
