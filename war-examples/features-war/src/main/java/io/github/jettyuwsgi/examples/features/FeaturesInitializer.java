package io.github.jettyuwsgi.examples.features;

import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

/**
 * The WAR's {@code ServletContainerInitializer}, listed in {@code META-INF/services}: registers
 * {@link InitializerServlet} at {@code /sci}, the way frameworks (Spring's, for one) bootstrap themselves.
 */
public class FeaturesInitializer implements ServletContainerInitializer
{
    /** Context attribute naming who registered the servlet, shown by {@code /sci}. */
    static final String ATTRIBUTE = "features.initializer";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context)
    {
        context.setAttribute(ATTRIBUTE, getClass().getSimpleName());
        context.addServlet("initializer", new InitializerServlet()).addMapping("/sci");
    }
}
