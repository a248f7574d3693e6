package io.github.jettyuwsgi.launcher.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Chooses the EE environment of each WAR before {@link Deployment} deploys it, and says why, so the log explains
 * every choice. {@code --environment} wins; otherwise the descriptor decides: a {@code javax}-era {@code web.xml}
 * (J2EE/Java EE namespaces, no namespace at all, or a version below 5) goes to ee8, Servlet 6.1 to ee11. A WAR without
 * {@code web.xml} goes to ee8 when one of its classes references {@code javax/servlet}. Everything else gets the
 * default, ee11, which also runs Servlet 5.0 and 6.0 applications.
 */
public final class EnvironmentDetector
{
    /** The environment of a WAR that gives no reason to pick another. */
    public static final String DEFAULT_ENVIRONMENT = "ee11";

    private static final Set<String> JAVAX_NAMESPACES = Set.of(
        "http://java.sun.com/xml/ns/j2ee",     // Servlet 2.4
        "http://java.sun.com/xml/ns/javaee",   // Servlet 2.5, 3.0
        "http://xmlns.jcp.org/xml/ns/javaee"); // Servlet 3.1, 4.0
    private static final byte[] JAVAX_SERVLET = "javax/servlet/".getBytes(StandardCharsets.US_ASCII);
    private static final String CLASSES = "WEB-INF/classes/";

    /**
     * The environment chosen for a WAR.
     *
     * @param environment {@code "ee8"}, {@code "ee10"} or {@code "ee11"}
     * @param reason why, in words for the log
     */
    public record Choice(String environment, String reason)
    {
    }

    private EnvironmentDetector()
    {
    }

    /**
     * @param war a WAR file or exploded WAR directory
     * @param forced the environment given with {@code --environment}, or null to detect
     * @return the environment and the reason
     * @throws UncheckedIOException if the WAR cannot be read
     * @throws IllegalArgumentException if its {@code web.xml} is not well-formed
     */
    public static Choice choose(Path war, String forced)
    {
        return choose(war, forced == null ? WebXml.read(war) : Optional.empty(), forced);
    }

    /**
     * @param war a WAR file or exploded WAR directory
     * @param webXml the WAR's descriptor, already read
     * @param forced the environment given with {@code --environment}, or null to detect
     * @return the environment and the reason
     * @throws UncheckedIOException if the WAR cannot be read
     */
    public static Choice choose(Path war, Optional<WebXml> webXml, String forced)
    {
        if (forced != null)
            return new Choice(forced, "forced by --environment");
        if (webXml.isPresent())
            return fromWebXml(webXml.get());
        String javaxClass = findClassReferencingJavaxServlet(war);
        if (javaxClass != null)
            return new Choice("ee8", "no " + WebXml.PATH + ", and " + javaxClass + " references javax.servlet");
        return new Choice(DEFAULT_ENVIRONMENT, "no " + WebXml.PATH + " and no class referencing javax.servlet: the default environment");
    }

    static Choice fromWebXml(WebXml webXml)
    {
        String declared = WebXml.PATH + (webXml.version() == null ? "" : " version " + webXml.version());
        if (webXml.namespace().isEmpty())
            return new Choice("ee8", declared + " has no namespace (a DTD-era javax.servlet descriptor)");
        if (JAVAX_NAMESPACES.contains(webXml.namespace()))
            return new Choice("ee8", declared + " is javax.servlet (namespace " + webXml.namespace() + ")");
        int major = webXml.majorVersion();
        if (major >= 0 && major < 5)
            return new Choice("ee8", declared + " is below Servlet 5, so javax.servlet");
        if (webXml.isServlet61OrLater())
            return new Choice("ee11", declared + " is Servlet 6.1");
        if (!WebXml.JAKARTA_NAMESPACE.equals(webXml.namespace()))
            return new Choice(DEFAULT_ENVIRONMENT, declared + " has an unknown namespace " + webXml.namespace() + ": the default environment");
        return new Choice(DEFAULT_ENVIRONMENT, declared + " is jakarta.servlet: the default environment");
    }

    /**
     * @return the first class under {@code WEB-INF/classes} whose bytes name a {@code javax/servlet/} type, or null
     */
    static String findClassReferencingJavaxServlet(Path war)
    {
        try
        {
            if (Files.isDirectory(war))
            {
                Path classes = war.resolve(CLASSES);
                if (!Files.isDirectory(classes))
                    return null;
                try (Stream<Path> files = Files.walk(classes))
                {
                    Iterator<Path> iterator = files.filter(file -> file.toString().endsWith(".class")).sorted().iterator();
                    while (iterator.hasNext())
                    {
                        Path file = iterator.next();
                        if (contains(Files.readAllBytes(file), JAVAX_SERVLET))
                            return war.relativize(file).toString().replace('\\', '/');
                    }
                }
                return null;
            }
            try (ZipFile zip = new ZipFile(war.toFile()))
            {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements())
                {
                    ZipEntry entry = entries.nextElement();
                    if (!entry.getName().startsWith(CLASSES) || !entry.getName().endsWith(".class"))
                        continue;
                    try (InputStream input = zip.getInputStream(entry))
                    {
                        if (contains(input.readAllBytes(), JAVAX_SERVLET))
                            return entry.getName();
                    }
                }
                return null;
            }
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(war + ": cannot read the WAR", x);
        }
    }

    /**
     * A class file names every type it uses as a UTF-8 constant like {@code javax/servlet/http/HttpServlet}, so a byte
     * search finds a reference without parsing the constant pool.
     */
    static boolean contains(byte[] haystack, byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                    continue outer;
            }
            return true;
        }
        return false;
    }
}
