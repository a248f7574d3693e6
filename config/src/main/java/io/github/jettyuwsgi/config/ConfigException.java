package io.github.jettyuwsgi.config;

/**
 * A configuration that cannot be loaded: a missing file, a refused scheme, a malformed line, a strict-mode unknown
 * option. The message names the value, where it came from, and what was expected.
 */
public class ConfigException extends RuntimeException
{
    public ConfigException(String message)
    {
        super(message);
    }

    public ConfigException(String message, Throwable cause)
    {
        super(message, cause);
    }

    static ConfigException at(Origin origin, String message)
    {
        return new ConfigException(origin + ": " + message);
    }
}
