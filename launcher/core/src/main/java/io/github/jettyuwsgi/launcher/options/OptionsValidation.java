package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole-configuration checks behind {@link LauncherOptions#validate()}: what no single entry shows (no socket, no
 * application, a context path deployed twice, a file that does not exist, an emperor with applications of its own),
 * after the problems the reader recorded entry by entry. Every problem is one line "what: actual (expected: ...)".
 */
final class OptionsValidation
{
    private OptionsValidation()
    {
    }

    /**
     * @param options the options as read
     * @return every problem, one line each; empty when the options can be used
     */
    static List<String> validate(LauncherOptions options)
    {
        List<String> all = new ArrayList<>(options.problems);
        if (options.command != null || options.config == null)
            return all;
        if (options.emperor != null)
        {
            // an emperor only watches: its vassals have the sockets and the applications
            if (!Files.isDirectory(options.emperor))
                all.add("emperor: " + options.emperor + " is not a directory (expected: a directory of vassal ini files)");
            if (options.socketGiven || options.deploymentGiven)
                all.add("emperor: " + options.emperor + " with sockets or applications of its own (expected: --emperor alone; each vassal file gives its sockets and applications)");
            if (options.emperorMaxThrottle < options.emperorThrottle)
                all.add("emperor-max-throttle: " + options.emperorMaxThrottle + " (expected: at least emperor-throttle, " + options.emperorThrottle + ")");
            return Collections.unmodifiableList(all);
        }
        if (options.chdir != null && !Files.isDirectory(options.chdir))
            all.add("chdir: " + options.chdir + " is not a directory (expected: an existing directory)");
        // Only when none was given at all: a socket given wrongly has been reported already.
        if (!options.socketGiven)
            all.add("nothing to listen on (expected: at least one --socket or --http-socket, e.g. --socket 127.0.0.1:3031)");
        for (ListenAddress address : options.getAllSockets())
        {
            if (address.isUnix() && !Files.isDirectory(address.getUnixPath().getParent()))
                all.add("socket " + address + ": directory " + address.getUnixPath().getParent() + " does not exist (expected: an existing directory)");
        }
        checkFrontendTrust(options, all);
        if (options.chmodSocket != null && options.getAllSockets().stream().noneMatch(ListenAddress::isUnix))
            all.add(options.chmodSocketSource + ": " + options.chmodSocket + " but no Unix socket is given (expected: a --socket or --http-socket with a path)");
        if (options.chownSocket != null && options.getAllSockets().stream().noneMatch(ListenAddress::isUnix))
            all.add(options.chownSocketSource + ": " + options.chownSocket + " but no Unix socket is given (expected: a --socket or --http-socket with a path)");

        List<LauncherOptions.Mount> deployments = options.getDeployments();
        if (!options.deploymentGiven)
            all.add("nothing to deploy (expected: --war FILE, --mount PATH=FILE, --app CLASS or --jwsgi CLASS:METHOD)");
        Set<String> contextPaths = new HashSet<>();
        for (LauncherOptions.Mount mount : deployments)
        {
            String source = options.mountSources.get(mount);
            if (!contextPaths.add(mount.contextPath()))
                all.add(source + ": context path " + mount.contextPath() + " is deployed twice (expected: one WAR per context path)");
            if (!Files.exists(mount.war()))
                all.add(source + ": " + mount.war() + " does not exist (expected: a WAR file or an exploded WAR directory)");
            else if (!Files.isReadable(mount.war()))
                all.add(source + ": " + mount.war() + " is not readable (expected: a readable WAR file or directory)");
        }
        for (LauncherOptions.GatewayMount gateway : options.gateways)
        {
            if (!contextPaths.add(gateway.contextPath()))
                all.add(gateway.source() + ": context path " + gateway.contextPath() + " is deployed twice (expected: one application per context path)");
        }
        if (!options.gateways.isEmpty() && "ee8".equals(options.environment))
            all.add("environment: ee8 cannot serve --app or --jwsgi (expected: ee10 or ee11; gateway applications use jakarta.servlet)");
        if (!options.gateways.isEmpty() && options.classpath.isEmpty())
            all.add("classpath: none given for --app or --jwsgi (expected: --classpath DIR|JAR holding the application's classes)");
        for (Path entry : options.classpath)
        {
            if (!Files.isReadable(entry))
                all.add("classpath: " + entry + " does not exist or is not readable (expected: a directory of classes or a jar)");
        }
        for (Map.Entry<String, Path> realm : options.realms.entrySet())
        {
            if (!Files.isRegularFile(realm.getValue()) || !Files.isReadable(realm.getValue()))
                all.add("--realm: " + realm.getKey() + "=" + realm.getValue() + ": file not found or not readable (expected: a readable properties file)");
        }
        // the subscription client owns the syntax of subscribe-to and subscribe2, and reports here what it cannot send
        all.addAll(SubscriptionSpec.problems(options.subscriptions, options.uwsgiSockets.size()));
        return Collections.unmodifiableList(all);
    }

    /**
     * Tomcat's AJP connector since 9.0.31: a socket whose vars are believed (client address, HTTPS) does not start on
     * an address other hosts reach unless something says which frontend to believe, or the operator says explicitly
     * that anyone may.
     */
    private static void checkFrontendTrust(LauncherOptions options, List<String> all)
    {
        if (!options.allowFrontends.isEmpty() || options.insecureFrontend)
            return;
        if (options.frontendSecret == null)
            refuseUntrusted(options.uwsgiSockets, "socket", "the uwsgi vars",
                "--frontend-secret NAME=VALUE with nginx 'uwsgi_param NAME VALUE;', --allow-frontend CIDR with the frontends' addresses,", all);
        // a FastCGI socket believes its params as a uwsgi socket believes its vars; only the allow list protects it,
        // since FastCGI has no vars to carry a secret in
        refuseUntrusted(options.fastcgiSockets, "fastcgi-socket", "the FastCGI params",
            "--allow-frontend CIDR with the frontends' addresses (--frontend-secret applies to uwsgi sockets only),", all);
    }

    private static void refuseUntrusted(List<ListenAddress> sockets, String option, String believed, String remedies, List<String> all)
    {
        for (ListenAddress address : sockets)
        {
            if (address.isUnix() || address.isLoopback())
                continue;
            all.add(option + " " + address + ": listens on " + (address.isAllInterfaces() ? "all interfaces" : "a non-loopback address") +
                " without frontend trust, so any host that reaches it can send " + believed + " the applications believe (REMOTE_ADDR, HTTPS, ...)" +
                " (expected: " + remedies + " or --insecure-frontend to accept the risk; or 127.0.0.1:" + address.getPort() +
                " or a Unix socket when the frontend runs on this machine)");
        }
    }
}
