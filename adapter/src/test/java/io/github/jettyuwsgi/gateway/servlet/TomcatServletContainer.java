package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * <p>Embedded Tomcat 11 behind the test's {@link ServletContainer} interface, on a random port, with a throw-away
 * base directory.</p>
 */
public final class TomcatServletContainer implements ServletContainer
{
    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;
    private final Map<String, Context> contexts = new LinkedHashMap<>();

    public TomcatServletContainer()
    {
        try
        {
            baseDir = Files.createTempDirectory("tomcat-gateway-test");
        }
        catch (IOException x)
        {
            throw new IllegalStateException(x);
        }
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
    }

    private Context context(String contextPath)
    {
        return contexts.computeIfAbsent(contextPath, path -> tomcat.addContext(path, baseDir.toString()));
    }

    @Override
    public void addServlet(String contextPath, String name, HttpServlet servlet, Map<String, String> initParams, String... mappings)
    {
        Context context = context(contextPath);
        Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
        wrapper.setAsyncSupported(true);
        initParams.forEach(wrapper::addInitParameter);
        for (String mapping : mappings)
        {
            context.addServletMappingDecoded(mapping, name);
        }
    }

    @Override
    public void addFilter(String contextPath, String name, Filter filter, Map<String, String> initParams, String mapping)
    {
        Context context = context(contextPath);
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        def.setAsyncSupported("true");
        initParams.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(mapping);
        context.addFilterMap(map);
    }

    @Override
    public int start() throws Exception
    {
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() throws Exception
    {
        tomcat.stop();
        tomcat.destroy();
        try (Stream<Path> files = Files.walk(baseDir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
