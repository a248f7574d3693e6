package io.github.jettyuwsgi.launcher.session;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Where the JDBC session store's connection pool (and the table check at start) gets its connections: one JDBC URL
 * opened with one driver, which {@link SessionStores} loaded from the driver's own class loader. Jetty's {@code DatabaseAdaptor} would go through {@code DriverManager}, which
 * refuses a driver its caller's class loader cannot see; a data source asks the driver directly.
 */
final class DriverDataSource implements DataSource
{
    private final Driver driver;
    private final String url;
    private volatile int loginTimeoutSeconds;

    DriverDataSource(Driver driver, String url)
    {
        this.driver = driver;
        this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException
    {
        Connection connection = driver.connect(url, new Properties());
        if (connection == null)
            throw new SQLException("driver " + driver.getClass().getName() + " does not accept " + SessionStoreSettings.redact(url));
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        Connection connection = driver.connect(url, properties);
        if (connection == null)
            throw new SQLException("driver " + driver.getClass().getName() + " does not accept " + SessionStoreSettings.redact(url));
        return connection;
    }

    @Override
    public PrintWriter getLogWriter()
    {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out)
    {
        // the driver logs through its own logging
    }

    @Override
    public void setLoginTimeout(int seconds)
    {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout()
    {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException
    {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException
    {
        if (type.isInstance(this))
            return type.cast(this);
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type)
    {
        return type.isInstance(this);
    }

    @Override
    public String toString()
    {
        return driver.getClass().getName() + " " + SessionStoreSettings.redact(url);
    }
}
