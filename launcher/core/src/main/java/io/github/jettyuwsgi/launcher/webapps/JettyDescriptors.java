package io.github.jettyuwsgi.launcher.webapps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a WAR's Jetty descriptors say about the environment it was built for, read before anything is deployed, as
 * Jetty's deployer reads them: a {@code WEB-INF/jetty-eeN-web.xml} names its environment, and a
 * {@code WEB-INF/jetty-web.xml} (or a context XML file) configures a class of one environment, e.g.
 * {@code <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">}, which exists in that environment only.
 */
public final class JettyDescriptors
{
    /** The environments the launcher has, newest first: the order Jetty looks for {@code jetty-eeN-web.xml} in. */
    public static final List<String> ENVIRONMENTS = List.of("ee11", "ee10", "ee8");

    private static final Pattern CONFIGURE_CLASS = Pattern.compile("<Configure\\b[^>]*?\\bclass\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern ENVIRONMENT_PACKAGE = Pattern.compile("^org\\.eclipse\\.jetty\\.(ee[0-9]+)\\.");

    private JettyDescriptors()
    {
    }

    /**
     * The environment a WAR's Jetty descriptor asks for: {@code jetty-eeN-web.xml} of an environment the launcher has
     * (newest first), else the class {@code jetty-web.xml} configures.
     *
     * @param war a WAR file or exploded WAR directory
     * @return the environment and why, or empty when no Jetty descriptor names one
     * @throws UncheckedIOException if the WAR cannot be read
     */
    public static Optional<Hint> of(Path war)
    {
        for (String environment : ENVIRONMENTS)
        {
            String name = "WEB-INF/jetty-" + environment + "-web.xml";
            if (readEntry(war, name) != null)
                return Optional.of(new Hint(environment, name + " is for " + environment));
        }
        byte[] jettyWebXml = readEntry(war, "WEB-INF/jetty-web.xml");
        if (jettyWebXml == null)
            return Optional.empty();
        return configureClass(new String(jettyWebXml, StandardCharsets.UTF_8))
            .flatMap(type -> environmentOf(type).map(environment -> new Hint(environment, "WEB-INF/jetty-web.xml configures " + type)));
    }

    /**
     * @param xml a Jetty XML document
     * @return the class of its {@code <Configure>} root element, or empty if it has none
     */
    public static Optional<String> configureClass(String xml)
    {
        Matcher matcher = CONFIGURE_CLASS.matcher(COMMENT.matcher(xml).replaceAll(""));
        return matcher.find() ? Optional.of(matcher.group(1).trim()) : Optional.empty();
    }

    /**
     * @param className a Jetty class name such as {@code org.eclipse.jetty.ee10.webapp.WebAppContext}
     * @return the environment whose package it is in, if the launcher has that environment
     */
    public static Optional<String> environmentOf(String className)
    {
        Matcher matcher = ENVIRONMENT_PACKAGE.matcher(className);
        return matcher.find() && ENVIRONMENTS.contains(matcher.group(1)) ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static byte[] readEntry(Path war, String entryName)
    {
        try
        {
            if (Files.isDirectory(war))
            {
                Path file = war.resolve(entryName);
                return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            }
            try (ZipFile zip = new ZipFile(war.toFile()))
            {
                ZipEntry entry = zip.getEntry(entryName);
                return entry == null ? null : zip.getInputStream(entry).readAllBytes();
            }
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(war + ": cannot read " + entryName, x);
        }
    }

    /**
     * @param environment {@code "ee8"}, {@code "ee10"} or {@code "ee11"}
     * @param reason why, in words for the log
     */
    public record Hint(String environment, String reason)
    {
    }
}
