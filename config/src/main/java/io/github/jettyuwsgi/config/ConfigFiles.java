package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The files a configuration load reads, for {@link ConfigAssembler}: config files ({@code ini =}, {@code json =},
 * {@code include}, {@code inherit}), {@code @(file)} values and {@code for-readline} lines. Names are taken from the
 * load's working directory as uWSGI takes them after its {@code chdir}; a name no file system accepts and one of
 * uWSGI's schemes ({@code exec://}, {@code http://}, {@code -}) are configuration errors; no read takes more than
 * {@link ConfigLimits#maxFileBytes()}, so {@code @(/dev/zero)} ends.
 */
final class ConfigFiles
{
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    private final Path workingDirectory;
    private final int maxFileBytes;

    ConfigFiles(Path workingDirectory, ConfigLimits limits)
    {
        this.workingDirectory = workingDirectory;
        this.maxFileBytes = limits.maxFileBytes();
    }

    /**
     * @param file a name from the configuration
     * @param origin where it was given
     * @return its path from the working directory
     * @throws ConfigException if no path can have that name (a NUL byte)
     */
    Path resolve(String file, Origin origin)
    {
        try
        {
            return workingDirectory.resolve(file);
        }
        catch (InvalidPathException x)
        {
            throw ConfigException.at(origin, "file name: '" + file.replace('\0', '?') + "' (expected: a file path; " + x.getReason() + ")");
        }
    }

    /**
     * @param name a config source as given
     * @param origin where it was given
     * @throws ConfigException if it is one of uWSGI's schemes, which run code or read from the network
     */
    static void refuseScheme(String name, Origin origin)
    {
        if (SCHEME.matcher(name).find() || name.equals("-"))
            throw ConfigException.at(origin, "config source \"" + name + "\" refused (expected: a plain file path; " +
                "uWSGI's schemes such as exec://, http:// and fd:// are not supported because they can run code or read from the network)");
    }

    /**
     * @return the whole content of a config file
     * @throws ConfigException if it cannot be read or is over the file limit
     */
    byte[] readConfig(String file, Origin origin)
    {
        try
        {
            return readBounded(resolve(file, origin), origin);
        }
        catch (IOException x)
        {
            throw ConfigException.at(origin, "cannot read config file " + file + " (" + x + ")");
        }
    }

    /**
     * {@code @(file)}: the file's text without one trailing newline (or carriage return), as uWSGI drops no more.
     */
    String readAtFile(String file, Origin origin)
    {
        refuseScheme(file, origin);
        String content = new String(readConfig(file, origin), StandardCharsets.UTF_8);
        if (!content.isEmpty() && (content.endsWith("\n") || content.endsWith("\r")))
            content = content.substring(0, content.length() - 1);
        return content;
    }

    /**
     * {@code for-readline}: the file's content, or an I/O error the caller reports as a warning (uWSGI goes on).
     *
     * @throws ConfigException if the name is not a path or the file is over the file limit
     */
    byte[] readLines(String file, Origin origin) throws IOException
    {
        return readBounded(resolve(file, origin), origin);
    }

    private byte[] readBounded(Path path, Origin origin) throws IOException
    {
        try (InputStream in = Files.newInputStream(path))
        {
            byte[] content = in.readNBytes(maxFileBytes);
            if (in.read() >= 0)
                throw ConfigException.at(origin, path.getFileName() + ": more than " + maxFileBytes + " bytes (expected: at most " + maxFileBytes + ")");
            return content;
        }
    }
}
