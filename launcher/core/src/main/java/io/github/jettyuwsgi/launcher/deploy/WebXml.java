package io.github.jettyuwsgi.launcher.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The few facts of a WAR's {@code WEB-INF/web.xml} the launcher needs before Jetty reads the descriptor for real:
 * the namespace and version that choose the EE environment ({@link EnvironmentDetector}), and the login realm the WAR
 * asks for, which {@code WarInspection} checks against the {@code --realm}s given.
 *
 * @param namespace the root element's namespace, empty for a DTD-era descriptor
 * @param version the root element's {@code version} attribute, or null
 * @param authMethod {@code login-config/auth-method}, or null
 * @param realmName {@code login-config/realm-name}, or null
 */
public record WebXml(String namespace, String version, String authMethod, String realmName)
{
    /** The Jakarta EE namespace, Servlet 5.0 and later. */
    public static final String JAKARTA_NAMESPACE = "https://jakarta.ee/xml/ns/jakartaee";
    public static final String PATH = "WEB-INF/web.xml";

    /**
     * @param war a WAR file or exploded WAR directory
     * @return the descriptor's facts, or empty if the WAR has no {@code WEB-INF/web.xml}
     * @throws UncheckedIOException if the WAR cannot be read
     * @throws IllegalArgumentException if the descriptor is not well-formed XML
     */
    public static Optional<WebXml> read(Path war)
    {
        try
        {
            byte[] bytes = readEntry(war, PATH);
            return bytes == null ? Optional.empty() : Optional.of(parse(bytes));
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(war + ": cannot read " + PATH, x);
        }
    }

    static byte[] readEntry(Path war, String entryName) throws IOException
    {
        if (Files.isDirectory(war))
        {
            Path file = war.resolve(entryName);
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        }
        try (ZipFile zip = new ZipFile(war.toFile()))
        {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null)
                return null;
            try (InputStream input = zip.getInputStream(entry))
            {
                return input.readAllBytes();
            }
        }
    }

    static WebXml parse(byte[] bytes)
    {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // Only the elements are needed: never fetch a DTD or expand an external entity.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try
        {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
            String namespace = null;
            String version = null;
            String authMethod = null;
            String realmName = null;
            boolean inLoginConfig = false;
            while (reader.hasNext())
            {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT)
                {
                    String name = reader.getLocalName();
                    if (namespace == null)
                    {
                        namespace = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
                        version = reader.getAttributeValue(null, "version");
                    }
                    else if ("login-config".equals(name))
                        inLoginConfig = true;
                    else if (inLoginConfig && "auth-method".equals(name))
                        authMethod = reader.getElementText().trim();
                    else if (inLoginConfig && "realm-name".equals(name))
                        realmName = reader.getElementText().trim();
                }
                else if (event == XMLStreamConstants.END_ELEMENT && "login-config".equals(reader.getLocalName()))
                {
                    inLoginConfig = false;
                }
            }
            return new WebXml(namespace == null ? "" : namespace, version, authMethod, realmName);
        }
        catch (XMLStreamException x)
        {
            throw new IllegalArgumentException(PATH + " is not well-formed XML: " + x.getMessage(), x);
        }
    }

    /**
     * @return the Servlet major version the descriptor declares, or -1 if it declares none that can be read
     */
    public int majorVersion()
    {
        if (version == null)
            return -1;
        try
        {
            return Integer.parseInt(version.trim().split("\\.")[0]);
        }
        catch (NumberFormatException x)
        {
            return -1;
        }
    }

    /**
     * @return true when the descriptor is Servlet 6.1 or later (a Jakarta EE 11 application)
     */
    public boolean isServlet61OrLater()
    {
        if (version == null)
            return false;
        String[] parts = version.trim().split("\\.");
        try
        {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 6 || (major == 6 && minor >= 1);
        }
        catch (NumberFormatException x)
        {
            return false;
        }
    }

    /**
     * @return true if the WAR configures container-managed authentication
     */
    public boolean hasLoginConfig()
    {
        return authMethod != null || realmName != null;
    }
}
