package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.jettyuwsgi.config.ConfigEntry;
import io.github.jettyuwsgi.launcher.webapps.JettyModules;
import io.github.jettyuwsgi.launcher.webapps.MountEnvironments;
import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.log.UwsgiLogFormat;
import io.github.jettyuwsgi.uwsgi.trust.FrontendAllowList;
import io.github.jettyuwsgi.uwsgi.trust.FrontendSecret;

import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_BUFFER_SIZE;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.ENVIRONMENTS;

/**
 * How the values of the {@link Option} table's entries are read: numbers as uWSGI reads them, addresses, context
 * paths, {@code KEY=VALUE} pairs. Used by {@link OptionsReader} while it applies a configuration; a value that cannot
 * be read is recorded as a problem of the options ("what: actual (expected: ...)", named by {@link #source}), never
 * thrown, so that {@link LauncherOptions#validate()} reports every mistake at once.
 */
final class OptionValues
{
    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kK]?)");
    /** The variables {@code UwsgiLogFormat} fills in (see docs/request-log.md); any other prints {@code -}. */
    private static final Pattern LOG_FORMAT_VARIABLE = Pattern.compile("%\\(([^)]*)\\)");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*([0-9]+)(.*)$", Pattern.DOTALL);

    private final LauncherOptions options;

    /**
     * @param options the options being read, which get the problems and notices
     */
    OptionValues(LauncherOptions options)
    {
        this.options = options;
    }

    /**
     * @return how a message names the value: {@code --threads} when it came from the command line (as the user typed
     * it), {@code app.ini:3: threads} or {@code environment UWSGI_THREADS: threads} otherwise
     */
    static String source(ConfigEntry entry)
    {
        String origin = entry.origin().source();
        if (origin.startsWith("command line "))
            return "--" + entry.key();
        return entry.origin() + ": " + entry.key();
    }

    /**
     * @return a boolean option as uWSGI's {@code uwsgi_opt_true} reads it: given alone or with any value but false,
     * off, no or 0, it is on
     */
    static boolean isTrue(ConfigEntry entry)
    {
        return entry.value() == null || !List.of("false", "off", "no", "0").contains(entry.value().toLowerCase(Locale.ROOT));
    }

    /**
     * @return the number, or {@code fallback} with a problem recorded when it is not one from {@code min} to
     * {@code max}
     */
    int number(ConfigEntry entry, String value, int min, int max, int fallback)
    {
        // uWSGI reads numbers with atoi, and ini files have no inline comments: "64   # max" is 64 there, and here
        Matcher digits = LEADING_NUMBER.matcher(value);
        if (digits.find() && digits.group(1).length() < 10)
        {
            int number = Integer.parseInt(digits.group(1));
            if (!digits.group(2).isEmpty())
                options.notices.add(source(entry) + " = '" + value + "' read as " + number + " (the rest is not a number; ini files have no inline comments)");
            if (number >= min && number <= max)
                return number;
        }
        options.problems.add(source(entry) + ": '" + entry.displayValue() + "' (expected: a whole number from " + min + " to " + max + ")");
        return fallback;
    }

    void addAddress(ConfigEntry entry, List<ListenAddress> addresses)
    {
        options.socketGiven = true;
        String value = entry.displayValue();
        try
        {
            ListenAddress address = ListenAddress.parse(value);
            // Port 0 is "any free port": each socket gets its own, so it can be given any number of times.
            if (address.getPort() != 0 && options.getAllSockets().contains(address))
                options.problems.add(source(entry) + ": " + value + " is already given (expected: each address once)");
            else
                addresses.add(address);
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + ": " + x.getMessage());
        }
    }

    void setFrontendSecret(ConfigEntry entry, LauncherOptions options)
    {
        try
        {
            options.frontendSecret = FrontendSecret.parse(entry.value() == null ? "" : entry.value());
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + x.getMessage().substring(x.getMessage().indexOf(':')));
        }
    }

    void addAllowFrontend(ConfigEntry entry, LauncherOptions options)
    {
        try
        {
            FrontendAllowList.of(List.of(entry.displayValue()));
            options.allowFrontends.add(entry.displayValue().trim());
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + x.getMessage().substring(x.getMessage().indexOf(':')));
        }
    }

    void addMountEnvironment(ConfigEntry entry, LauncherOptions options)
    {
        try
        {
            options.mountEnvironments.putAll(MountEnvironments.parse(List.of(entry.displayValue())));
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + x.getMessage().substring(x.getMessage().indexOf(':')));
        }
    }

    void addJettyModule(ConfigEntry entry, LauncherOptions options)
    {
        try
        {
            options.jettyModules.put(entry.displayValue(), JettyModules.describe(entry.displayValue()));
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + x.getMessage().substring(x.getMessage().indexOf(':')));
        }
    }

    void putSession(ConfigEntry entry, LauncherOptions options)
    {
        options.sessionSettings.put(entry.key(), entry.displayValue());
    }

    void addHttpsSocket(ConfigEntry entry, LauncherOptions options)
    {
        options.socketGiven = true;
        try
        {
            HttpsSocketSpec spec = HttpsSocketSpec.parse(entry.displayValue());
            if (spec.address().getPort() != 0 && options.getAllSockets().contains(spec.address()))
                options.problems.add(source(entry) + ": " + spec.address() + " is already given (expected: each address once)");
            else
                options.httpsSockets.add(spec);
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + ": " + x.getMessage());
        }
    }

    ListenAddress address(ConfigEntry entry)
    {
        try
        {
            return ListenAddress.parse(entry.displayValue());
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add(source(entry) + ": " + x.getMessage());
            return null;
        }
    }

    void addEnv(ConfigEntry entry, LauncherOptions options)
    {
        String value = entry.displayValue();
        int equals = value.indexOf('=');
        String name = equals < 0 ? value : value.substring(0, equals);
        if (name.isEmpty() || value.indexOf('\0') >= 0)
            options.problems.add(source(entry) + ": '" + value.replace("\0", "\\0") + "' (expected: KEY=VALUE without NUL characters, or KEY alone to remove it)");
        else
            options.env.put(name, equals < 0 ? null : value.substring(equals + 1));
    }

    void addUnenv(ConfigEntry entry, LauncherOptions options)
    {
        String name = entry.displayValue();
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0)
            options.problems.add(source(entry) + ": '" + name.replace("\0", "\\0") + "' (expected: the name of an environment variable)");
        else
            options.env.put(name, null);
    }

    void setLogTo(ConfigEntry entry, LauncherOptions options)
    {
        String value = entry.displayValue();
        // uWSGI sends the log to a UDP address when the value has a colon
        if (value.indexOf(':') >= 0)
            options.problems.add(source(entry) + ": '" + value + "' is a UDP address to uWSGI, which the launcher does not send to (expected: a file path without ':')");
        else
            options.logTo = Path.of(value);
    }

    void setWar(ConfigEntry entry, LauncherOptions options)
    {
        // a single value: a later one (the command line after an ini file) replaces the earlier
        options.deploymentGiven = true;
        options.war = new LauncherOptions.Mount("/", Path.of(entry.displayValue()));
        options.mountSources.put(options.war, source(entry));
    }

    void addMount(ConfigEntry entry, LauncherOptions options)
    {
        options.deploymentGiven = true;
        String value = entry.displayValue();
        int equals = value.indexOf('=');
        if (equals < 0)
        {
            options.problems.add(source(entry) + ": '" + value + "' (expected: PATH=FILE, e.g. /shop=shop.war)");
            return;
        }
        String contextPath = value.substring(0, equals);
        String file = value.substring(equals + 1);
        if (!contextPath.startsWith("/") || (contextPath.length() > 1 && contextPath.endsWith("/")) || contextPath.contains("//"))
            options.problems.add(source(entry) + ": context path '" + contextPath + "' (expected: / or /NAME[/NAME...], without a trailing /)");
        else if (file.isEmpty())
            options.problems.add(source(entry) + ": '" + value + "' has no file (expected: PATH=FILE, e.g. /shop=shop.war)");
        else
        {
            LauncherOptions.Mount mount = new LauncherOptions.Mount(contextPath, Path.of(file));
            options.mounts.add(mount);
            options.mountSources.put(mount, source(entry));
        }
    }

    void addGateway(ConfigEntry entry, LauncherOptions options, String kind)
    {
        options.deploymentGiven = true;
        String value = entry.displayValue();
        String contextPath = "/";
        int equals = value.indexOf('=');
        if (equals >= 0)
        {
            contextPath = value.substring(0, equals);
            value = value.substring(equals + 1);
        }
        if (!isContextPath(contextPath))
            options.problems.add(source(entry) + ": context path '" + contextPath + "' (expected: / or /NAME[/NAME...], without a trailing /)");
        else if (!value.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*" + ("jwsgi".equals(kind) ? "(:[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)?" : "")))
            options.problems.add(source(entry) + ": '" + entry.displayValue() + "' (expected: " + ("jwsgi".equals(kind) ? "[PATH=]CLASS[:METHOD], e.g. com.example.Hello:application" : "[PATH=]CLASS, e.g. /api=com.example.App") + ")");
        else
            options.gateways.add(new LauncherOptions.GatewayMount(contextPath, kind, value, source(entry)));
    }

    private static boolean isContextPath(String contextPath)
    {
        return contextPath.startsWith("/") && !(contextPath.length() > 1 && contextPath.endsWith("/")) && !contextPath.contains("//");
    }

    void setChmodSocket(ConfigEntry entry, LauncherOptions options)
    {
        // uWSGI: chmod-socket without a value is 666
        String value = entry.value() == null || entry.value().isEmpty() ? "666" : entry.value();
        options.chmodSocketSource = source(entry);
        if (value.matches("[0-7]{3}"))
            options.chmodSocket = value;
        else
            options.problems.add(options.chmodSocketSource + ": '" + value + "' (expected: three octal digits as for chmod, e.g. 660)");
    }

    void setChownSocket(ConfigEntry entry, LauncherOptions options)
    {
        String value = entry.displayValue();
        options.chownSocketSource = source(entry);
        if (value.isBlank() || value.equals(":") || value.indexOf(':') != value.lastIndexOf(':'))
            options.problems.add(options.chownSocketSource + ": '" + value + "' (expected: USER, USER:GROUP or :GROUP, e.g. app:www-data)");
        else
            options.chownSocket = value;
    }

    void setBufferSize(ConfigEntry entry, LauncherOptions options)
    {
        String value = entry.displayValue();
        Matcher size = SIZE.matcher(value);
        if (size.matches() && !size.group(2).isEmpty() && size.group(1).length() < 9)
        {
            // uWSGI 2.0 reads 32k as 32 (strtoul); that is never what was meant, so take k as KiB and say so
            long bytes = Long.parseLong(size.group(1)) * 1024;
            if (bytes == Uwsgi.MAX_DATASIZE + 1)
                bytes = Uwsgi.MAX_DATASIZE;
            options.notices.add(source(entry) + " = " + value + " read as " + bytes + " bytes (uWSGI 2.0 would read " + size.group(1) +
                "; write " + bytes + " for a config that both read alike)");
            value = Long.toString(bytes);
        }
        options.bufferSize = number(entry, value, UwsgiConfiguration.MIN_MAX_VARS_SIZE, Uwsgi.MAX_DATASIZE, DEFAULT_BUFFER_SIZE);
    }

    void setLogFormat(ConfigEntry entry, LauncherOptions options)
    {
        // uWSGI prints - for a variable it does not know, so a typo would only show in the log: say it at start
        options.logFormat = entry.displayValue();
        Matcher variable = LOG_FORMAT_VARIABLE.matcher(options.logFormat);
        while (variable.find())
        {
            String name = variable.group(1);
            if (!UwsgiLogFormat.isKnownVariable(name))
                options.notices.add(source(entry) + ": unknown variable %(" + name + ") is logged as - (expected: one of %(" +
                    String.join(") %(", new TreeSet<>(UwsgiLogFormat.VARIABLES)) + ") or %(var.NAME); see docs/request-log.md)");
        }
    }

    void addRealm(ConfigEntry entry, LauncherOptions options)
    {
        String value = entry.displayValue();
        int equals = value.indexOf('=');
        if (equals <= 0 || equals == value.length() - 1)
            options.problems.add(source(entry) + ": '" + value + "' (expected: NAME=FILE, e.g. myrealm=etc/users.properties)");
        else if (options.realms.putIfAbsent(value.substring(0, equals), Path.of(value.substring(equals + 1))) != null)
            options.problems.add(source(entry) + ": realm '" + value.substring(0, equals) + "' is given more than once (expected: one file per realm name)");
    }

    void setEnvironment(ConfigEntry entry, LauncherOptions options)
    {
        String name = entry.displayValue().toLowerCase(Locale.ROOT);
        if (ENVIRONMENTS.contains(name))
            options.environment = name;
        else
            options.problems.add(source(entry) + ": '" + entry.displayValue() + "' (expected: one of " + String.join(", ", ENVIRONMENTS) + ")");
    }

    void addSubscription(ConfigEntry entry, LauncherOptions options)
    {
        // the subscription client owns the syntax of subscribe-to and subscribe2: validate() reports what it cannot send
        options.subscriptions.add(new LauncherOptions.Subscription(entry.key(), entry.displayValue(), source(entry)));
    }
}
