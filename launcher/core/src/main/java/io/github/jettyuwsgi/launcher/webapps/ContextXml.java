package io.github.jettyuwsgi.launcher.webapps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A Jetty context XML file ({@code --war app.xml}, {@code --mount /ctx=app.xml}), read before deployment as jetty-home
 * reads {@code webapps/*.xml}: its {@code <Configure>} class picks the environment, and its literal {@code war} and
 * {@code contextPath} let the launcher inspect the WAR before the environment's deployer applies the whole file with
 * Jetty's own {@code XmlConfiguration} (attributes, init parameters, extra class path, temp directory, security...).
 *
 * <p>The file sees the properties jetty-home gives it: {@code jetty.webapps} is the file's directory,
 * {@code jetty.base} and {@code jetty.home} that directory's parent (a {@code webapps/} directory sits in a base).</p>
 *
 * @param file the XML file, absolute
 * @param configureClass the class of the root {@code <Configure>} element
 * @param environment the environment that class belongs to
 * @param war the WAR the file sets, resolved against the file's properties, or null if it sets none a reader can know
 * @param contextPath the context path the file sets, or null
 * @param setsLoginService whether the file gives the context a login service of its own ({@code <Set
 * name="loginService">} or {@code setLoginService}), so that the WAR's realm needs no {@code --realm}
 */
public record ContextXml(Path file, String configureClass, String environment, Path war, String contextPath, boolean setsLoginService)
{
    /**
     * @param path a {@code --war} or {@code --mount} argument
     * @return whether it names a context XML file rather than a WAR
     */
    public static boolean isContextXml(Path path)
    {
        return path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml") && !Files.isDirectory(path);
    }

    /**
     * @param file a context XML file
     * @return what it says
     * @throws UncheckedIOException if it cannot be read
     * @throws IllegalArgumentException if it is no Jetty context XML for an environment the launcher has
     */
    public static ContextXml read(Path file)
    {
        Path absolute = file.toAbsolutePath().normalize();
        Element root = parse(absolute).getDocumentElement();
        if (!"Configure".equals(root.getTagName()) || root.getAttribute("class").isBlank())
            throw new IllegalArgumentException(file + ": root element <" + root.getTagName() + "> (expected: <Configure class=\"org.eclipse.jetty.eeN.webapp.WebAppContext\">)");
        String configureClass = root.getAttribute("class").trim();
        String environment = JettyDescriptors.environmentOf(configureClass)
            .orElseThrow(() -> new IllegalArgumentException(file + ": <Configure class=\"" + configureClass + "\"> is of no environment the launcher has " +
                "(expected: a class of org.eclipse.jetty.ee8, ee10 or ee11, e.g. org.eclipse.jetty.ee10.webapp.WebAppContext)"));
        Map<String, String> properties = properties(absolute);
        String war = setValue(root, "war", properties);
        String contextPath = setValue(root, "contextPath", properties);
        Path warPath = war == null || war.isBlank() ? null : absolute.getParent().resolve(war).normalize();
        return new ContextXml(absolute, configureClass, environment, warPath, contextPath, setsLoginService(root));
    }

    /**
     * @return the properties the file is applied with, for {@code XmlConfiguration.getProperties()}
     */
    public Map<String, String> properties()
    {
        return properties(file);
    }

    private static Map<String, String> properties(Path file)
    {
        Path webapps = file.getParent();
        Path base = webapps.getParent() == null ? webapps : webapps.getParent();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jetty.webapps", webapps.toString());
        properties.put("jetty.base", base.toString());
        properties.put("jetty.home", base.toString());
        return properties;
    }

    /**
     * The text of a direct {@code <Set name="...">} child, with {@code <Property>} and {@code <SystemProperty>}
     * replaced by their value or default; null when absent or built by anything else ({@code <Call>}, {@code <New>}).
     */
    private static String setValue(Element root, String name, Map<String, String> properties)
    {
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++)
        {
            if (children.item(i) instanceof Element set && set.getTagName().equals("Set") && name.equals(set.getAttribute("name")))
                return text(set, properties, System.getProperties());
        }
        return null;
    }

    private static boolean setsLoginService(Element root)
    {
        for (String tag : new String[]{"Set", "Call"})
        {
            NodeList elements = root.getElementsByTagName(tag);
            for (int i = 0; i < elements.getLength(); i++)
            {
                String name = ((Element)elements.item(i)).getAttribute("name");
                if (name.equals(tag.equals("Set") ? "loginService" : "setLoginService"))
                    return true;
            }
        }
        return false;
    }

    private static String text(Element element, Map<String, String> properties, Properties system)
    {
        StringBuilder text = new StringBuilder();
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++)
        {
            Node child = children.item(i);
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE)
            {
                text.append(child.getNodeValue());
            }
            else if (child instanceof Element property && (property.getTagName().equals("Property") || property.getTagName().equals("SystemProperty")))
            {
                String propertyName = property.getAttribute("name");
                String value = property.getTagName().equals("Property") ? properties.get(propertyName) : system.getProperty(propertyName);
                if (value == null)
                    value = property.hasAttribute("default") ? property.getAttribute("default") : text(property, properties, system);
                text.append(value);
            }
            else if (child.getNodeType() == Node.ELEMENT_NODE)
            {
                return null;
            }
        }
        return text.toString().trim();
    }

    private static Document parse(Path file)
    {
        try (InputStream input = Files.newInputStream(file))
        {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // Jetty's XML files name a DTD on the web: never fetch it, and never resolve any external entity.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(input);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(file + ": cannot read the context XML", x);
        }
        catch (SAXException | ParserConfigurationException x)
        {
            throw new IllegalArgumentException(file + ": not well-formed XML: " + x.getMessage() + " (expected: a Jetty context XML file)", x);
        }
    }
}
