package io.github.jettyuwsgi.it.postgres;

import io.github.jettyuwsgi.it.FreePorts;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * <p>A {@link PostgresCluster} for the tests of one class, as a JUnit 5 extension: made and started on a free
 * loopback port before the first test, removed after the last.</p>
 * <pre>
 * {@literal @}RegisterExtension
 * static final PostgresExtension postgres = new PostgresExtension();
 * ... postgres.cluster().jdbcUrl() ...
 * </pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback
{
    private PostgresCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context)
    {
        cluster = PostgresCluster.start(FreePorts.allocate(1)[0]);
    }

    @Override
    public void afterAll(ExtensionContext context)
    {
        if (cluster != null)
            cluster.close();
    }

    /**
     * @return the running cluster
     */
    public PostgresCluster cluster()
    {
        return cluster;
    }
}
